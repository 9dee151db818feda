using Sluice.Core.Api;

namespace Sluice.Core.Engine;

/// <summary>What a router needs to know about the rollout it serves: who it is (to own and mark objects) and its plan.</summary>
/// <param name="Plan">The plan; routers read <see cref="RolloutPlan.TrafficRouting"/>, <see cref="RolloutPlan.BlueGreen"/> and the batches.</param>
/// <param name="SourceHash">The source revision's <c>rollout.sluice.dev/template-hash</c>, when there is a source (verification checks its pods carry it).</param>
/// <param name="TargetHash">The target revision's <c>rollout.sluice.dev/template-hash</c>.</param>
public sealed record TrafficTarget(string RolloutNamespace, string RolloutName, string RolloutUid, RolloutPlan Plan, string? SourceHash = null, string? TargetHash = null)
{
    public TrafficRouting? Routing => Plan.TrafficRouting;

    public BlueGreen? BlueGreen => Plan.BlueGreen;
}
