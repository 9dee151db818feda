using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// What the traffic steps share: the plan's step for a batch, whether the routes already send what a step asks, and the
/// guards that keep traffic off a revision with no ready pod.
/// </summary>
internal static class TrafficFacts
{
    /// <summary>
    /// The Services pinned (stable to the source's pods, canary to the target's) and the routes set to the share the target
    /// already has: 0 in a fresh rollout; a rollout reverted or redirected mid-way finds pods already on its target, and
    /// takes their share of the ready pods (what clients got from them while nothing pinned) as the floor the weights start from.
    /// </summary>
    public static void TakeOver(DecisionContext c)
    {
        var hashes = Hashes(c);
        if (hashes is null)
        {
            return;
        }

        // Taken over now (fresh, or after abandoning another target in this decision): the routes as seen belong to what
        // came before, so only the pods say what the target already serves. Taken over before (a restarted controller):
        // the routes are this rollout's own.
        var fresh = c.Workload is not { Prepared: true } || c.Intents.OfType<ReleaseWorkload>().Any();
        var total = Math.Max(1, c.Status.RolloutTargetSize);
        var floor = fresh
            ? (int)Math.Min(100, (long)(c.Workload?.TargetReady ?? 0) * 100 / total)
            : c.Traffic.Touched ? c.Traffic.Weight : 0;
        c.Emit(new PinServices(hashes.Value.Source, hashes.Value.Target));
        c.Emit(new RouteTraffic(floor, [], 0));
    }

    /// <summary>The source's and the target's template hashes, or null when either is unknown (nothing to pin by).</summary>
    public static (string Source, string Target)? Hashes(DecisionContext c) =>
        c.Input.Revisions?.SourceTemplateHash is { Length: > 0 } source && c.Status.TargetGeneration is { Length: > 0 } target
            ? (source, target)
            : null;

    /// <summary>Every batch's traffic step (validated in verifyingSpec), or null when the plan routes nothing.</summary>
    public static IReadOnlyList<TrafficStep>? Steps(DecisionContext c, BatchPlan plan)
    {
        if (!c.Routed)
        {
            return null;
        }

        var steps = TrafficWeights.Resolve(c.Plan, plan);
        return steps.IsValid ? steps.Steps : null;
    }

    /// <summary>What a step asks of every route: its weight (never below what the routes already send: weights only go up), matches and mirror.</summary>
    public static RouteTraffic Desired(DecisionContext c, TrafficStep step) =>
        new(Math.Max(step.Weight, c.Traffic.Weight), step.Matches, step.Mirror);

    /// <summary>Every route already sends what <paramref name="desired"/> asks.</summary>
    public static bool Routed(DecisionContext c, RouteTraffic desired) =>
        c.Traffic.Routes.All(r => r.Weight == desired.Weight && r.Mirror == desired.Mirror
            && SluiceJson.Serialize(r.Matches) == SluiceJson.Serialize(desired.Matches));

    /// <summary>Every route sends everything to the stable Service: no weight, no match rule, no mirror.</summary>
    public static bool AllOnStable(DecisionContext c) => Routed(c, RouteTraffic.AllToStable);

    /// <summary>Sending <paramref name="desired"/> needs ready target pods behind the canary Service (any weight, match or mirror does).</summary>
    public static bool SendsToTarget(RouteTraffic desired) => desired.Weight > 0 || desired.Matches.Count > 0 || desired.Mirror > 0;

    public static int ReadyPods(DecisionContext c, ServiceRole role) => c.Traffic.Service(role)?.ReadyPods ?? 0;
}
