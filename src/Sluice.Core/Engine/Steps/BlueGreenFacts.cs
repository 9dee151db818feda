using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// What blue/green's steps share (traffic.md): the active Service pinned to the source at the take-over (before any target
/// pod exists, or clients would reach them through its plain selector), the preview Service on the target once it has
/// ready pods, and the way back (active on the source again, only while the source has ready pods).
/// </summary>
internal static class BlueGreenFacts
{
    /// <summary>
    /// The active Service pinned to the source (unless it already serves the target: a rollout reverted after an earlier
    /// switch finds clients there, and keeps them there).
    /// </summary>
    public static void TakeOver(DecisionContext c)
    {
        if (TrafficFacts.Hashes(c) is { } hashes && c.Traffic.Service(ServiceRole.Active)?.SelectedHash != hashes.Target)
        {
            c.Emit(new SwitchActive(hashes.Source));
        }
    }

    /// <summary>A batch's traffic step: the preview Service selects the target once it has ready pods (the active one stays on the source).</summary>
    public static bool Preview(DecisionContext c, PlannedBatch batch)
    {
        if (TrafficFacts.Hashes(c) is not { } hashes || c.Traffic.Service(ServiceRole.Preview)?.SelectedHash == hashes.Target)
        {
            return c.Fire(RolloutEvent.TrafficShifted);
        }

        if (c.Workload is not { TargetReady: > 0 })
        {
            return c.WaitWithDeadline(batch, "ready target pods before the preview Service selects them");
        }

        c.Emit(new PreviewTarget(hashes.Source, hashes.Target));
        return c.Wait("the preview Service to select the target's pods");
    }

    /// <summary>The active Service serves the target now.</summary>
    public static bool Switched(DecisionContext c) =>
        TrafficFacts.Hashes(c) is { } hashes && c.Traffic.Service(ServiceRole.Active)?.SelectedHash == hashes.Target;

    /// <summary>
    /// Failure, abort, deletion: the active Service back on the source before any pod moves, when the switch happened and the
    /// source still has ready pods (the revert brings them back first otherwise). True when nothing is left to do.
    /// </summary>
    public static bool Back(DecisionContext c)
    {
        if (!c.BlueGreen || !Switched(c))
        {
            return true;
        }

        if (c.Workload is not { SourceReady: > 0 })
        {
            return true;
        }

        c.Emit(new SwitchActive(TrafficFacts.Hashes(c)!.Value.Source));
        c.Wait("the active Service back on the source before any pod moves");
        return false;
    }
}
