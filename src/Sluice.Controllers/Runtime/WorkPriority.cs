namespace Sluice.Controllers.Runtime;

/// <summary>How soon a queued key is taken: every High key before any Normal one.</summary>
public enum WorkPriority
{
    /// <summary>New work: a rollout to start, a revision that appeared, a retry after a failure.</summary>
    Normal,

    /// <summary>Work under way: a rollout whose workload moved, a wait that ended.</summary>
    High,
}
