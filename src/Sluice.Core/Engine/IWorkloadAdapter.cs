namespace Sluice.Core.Engine;

/// <summary>
/// The port a workload kind plugs in behind: it reads the kind's objects into a
/// <see cref="WorkloadSnapshot"/> and applies <see cref="WorkloadIntent"/>s to them. Implementations
/// live outside Core (they talk to the cluster); the engine never sees them.
/// </summary>
public interface IWorkloadAdapter
{
    /// <summary>The kind, e.g. "CloneSet".</summary>
    string Kind { get; }

    WorkloadStyle Style { get; }

    /// <summary>Why the workload may not be taken over (e.g. another rollout controls it), or null.</summary>
    Task<string?> VerifyAsync(RolloutTarget target, CancellationToken cancellationToken);

    Task<WorkloadSnapshot> ObserveAsync(RolloutTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// Applies one decision's intents in order. Each is idempotent. An adapter may fold consecutive intents on one
    /// object into one write, which applies them together or not at all: what a crash leaves applied is still a
    /// prefix of the list, as the engine expects.
    /// </summary>
    Task ApplyAsync(RolloutTarget target, IReadOnlyList<WorkloadIntent> intents, CancellationToken cancellationToken);
}
