using Sluice.Core.Api;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>initializing</c>: the initialize-rollout webhooks, then the take-over (the workload held where it is, and with a
/// router the Services pinned and the routes set at the share the target already has).
/// </summary>
internal static class InitializeStep
{
    public static bool Run(DecisionContext c)
    {
        if (!c.PassGate(WebhookType.InitializeRollout, 0, c.Plan.RolloutWebhooks, null))
        {
            return false;
        }

        if (c.Workload is not { } workload)
        {
            return c.Wait("the workload to be observed");
        }

        // A release earlier in this decision (abandoning the previous target) undoes any take-over the snapshot shows.
        if (!workload.Prepared || c.Intents.OfType<ReleaseWorkload>().Any())
        {
            c.Emit(new PrepareWorkload(c.Mode, c.Status.RolloutOriginalSize, c.Status.RolloutTargetSize));
        }

        if (c.Routed)
        {
            TrafficFacts.TakeOver(c);
        }
        else if (c.BlueGreen)
        {
            BlueGreenFacts.TakeOver(c);
        }

        if (!c.Fire(RolloutEvent.Initialized))
        {
            return false;
        }

        // The controller applies workload intents before traffic intents: with the Services not pinned yet, the first
        // batch's pods must wait for the next decision, or a pod could move to the target while the stable Service still
        // selects it. Nor are they pinned when this decision put them back as found (abandoning the previous target),
        // whatever the snapshot shows from before.
        var role = c.BlueGreen ? ServiceRole.Active : ServiceRole.Stable;
        return c.TrafficIntents.Count > 0 && TrafficFacts.Hashes(c) is { } hashes
            && (c.Traffic.Service(role)?.SelectedHash != hashes.Source || c.TrafficIntents.OfType<ResetTraffic>().Any())
            ? c.Wait("the Services pinned to their revisions before any pod moves")
            : true;
    }
}
