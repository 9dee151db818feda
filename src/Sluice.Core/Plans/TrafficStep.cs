using Sluice.Core.Api;

namespace Sluice.Core.Plans;

/// <summary>
/// The traffic step of one batch, resolved: what the routers are asked for once the batch's pods are ready, and how
/// long the batch then holds.
/// </summary>
/// <param name="Index">The batch, 0-based.</param>
/// <param name="Weight">Percent of requests to the target (explicit <c>traffic</c>, else the batch's share of upgraded pods; 100 on the last batch).</param>
/// <param name="WeightGiven">The plan wrote <c>traffic</c> for this batch (else <see cref="Weight"/> was derived).</param>
/// <param name="Matches">Requests that go to the target whatever the weight; empty for none.</param>
/// <param name="Mirror">Percent of requests copied to the target; 0 for none.</param>
/// <param name="PauseFor">Hold this long after the traffic step; null for no timed pause.</param>
/// <param name="PauseUntilPromoted">Hold after the traffic step until the rollout is promoted (<c>pause: {}</c>).</param>
public sealed record TrafficStep(
    int Index,
    int Weight,
    bool WeightGiven,
    IReadOnlyList<TrafficMatch> Matches,
    int Mirror,
    TimeSpan? PauseFor,
    bool PauseUntilPromoted)
{
    public override string ToString() =>
        $"batch {Index}: {Weight}% to the target{(Matches.Count > 0 ? $", {Matches.Count} match(es)" : "")}{(Mirror > 0 ? $", {Mirror}% mirrored" : "")}";
}
