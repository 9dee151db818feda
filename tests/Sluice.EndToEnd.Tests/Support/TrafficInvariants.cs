using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Simulator.Traffic;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The invariants of spec traffic.md, checked over the recorded history of the simulated data plane (a <see cref="TrafficReport"/>,
/// in-process from <see cref="DataPlane.Report"/> or from a running <c>sluice up</c>'s <c>/traffic</c>) and of the routing
/// objects (<see cref="ObjectHistory"/>). Each throws a <see cref="TrafficInvariantException"/> that says which segment broke
/// it, when and with what configuration.
/// </summary>
public static class TrafficInvariants
{
    /// <summary>
    /// 1. No request failed because of the rollout: none found a Service without a ready endpoint (503) and none found no route
    /// (404/500). With <paramref name="podFaults"/> false (healthy pods) every request was also answered 2xx.
    /// </summary>
    public static void NoRequestFailedByTheRollout(TrafficReport report, string? population = null, bool podFaults = false)
    {
        var problems = new StringBuilder();
        foreach (var p in Populations(report, population))
        {
            var counts = p.Counts;
            if (counts.FailedNoEndpoint == 0 && counts.NotRouted == 0 && (podFaults || counts.Failed == 0))
            {
                continue;
            }

            problems.AppendLine(CultureInfo.InvariantCulture, $"{p.Service}: {counts.Sent} sent, {counts.FailedNoEndpoint} found no ready endpoint, {counts.NotRouted} found no route, {counts.Failed} failed at a pod");
            foreach (var segment in p.Segments.Where(s => s.Counts.FailedNoEndpoint > 0 || s.Counts.NotRouted > 0 || (!podFaults && s.Counts.Failed > 0)))
            {
                problems.AppendLine("  " + Describe(segment));
            }
        }

        Fail(problems, "requests failed because of the rollout");
    }

    /// <summary>
    /// 2. The share of <paramref name="requestClass"/> requests answered by <paramref name="target"/> follows the weight: in every segment
    /// where <paramref name="weight"/> gives one, within <paramref name="tolerance"/> points of it (for segments of at least
    /// <paramref name="minRequests"/> requests), and exactly 0 where the weight is 0 (whatever the number of requests).
    /// </summary>
    /// <param name="weight">The weight that applied to a segment (e.g. <see cref="WrittenWeights"/>, or <see cref="ConfiguredWeight"/>), or null to skip it.</param>
    public static void ShareFollowsWeights(TrafficReport report, string population, string target, Func<TrafficSegment, int?> weight,
        double tolerance = 3, long minRequests = 200, string requestClass = "plain")
    {
        var problems = new StringBuilder();
        var checkedSegments = 0;
        foreach (var segment in Population(report, population).Segments.Where(s => s.Class == requestClass && s.Counts.Sent > 0))
        {
            if (weight(segment) is not { } expected)
            {
                continue;
            }

            var share = segment.ShareOf(target);
            if (expected == 0 ? share != 0 : segment.Counts.Sent >= minRequests && Math.Abs(share - expected) > tolerance)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{share:0.##}% to {target} where the weight was {expected}%: {Describe(segment)}");
            }

            checkedSegments += expected == 0 || segment.Counts.Sent >= minRequests ? 1 : 0;
        }

        Fail(problems, $"the share of {population}'s requests answered by {target} did not follow the weights");
        if (checkedSegments == 0)
        {
            throw new TrafficInvariantException($"no segment of {population}'s {requestClass} requests had a weight and enough requests to check");
        }
    }

    /// <summary>
    /// 3. Matches reach exactly whom they should: in the segments <paramref name="during"/> selects, every <paramref name="matching"/>
    /// request reached <paramref name="target"/>, and (when <paramref name="source"/> is given) every other request reached it.
    /// </summary>
    public static void MatchesReachOnly(TrafficReport report, string population, string matching, string target, Func<TrafficSegment, bool> during,
        string? source = null, string others = "plain")
    {
        var problems = new StringBuilder();
        var seen = 0;
        foreach (var segment in Population(report, population).Segments.Where(during))
        {
            var expected = segment.Class == matching ? target : segment.Class == others ? source : null;
            if (expected is null || segment.Counts.Sent == 0)
            {
                continue;
            }

            seen++;
            var elsewhere = segment.Revisions.Where(r => r.Revision != expected && r.Counts.Sent > 0).ToList();
            var answered = segment.Revisions.Where(r => r.Revision == expected).Sum(r => r.Counts.Sent - r.Counts.FailedNoEndpoint);
            if (elsewhere.Count > 0 || answered != segment.Counts.Sent)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{segment.Class} requests should all reach {expected}: {Describe(segment)}");
            }
        }

        Fail(problems, "matches did not reach exactly whom they should");
        if (seen == 0)
        {
            throw new TrafficInvariantException($"no segment of {population} with {matching} requests was selected");
        }
    }

    /// <summary>
    /// 3'. Mirroring copies <paramref name="percent"/> (per segment; null skips it) of the requests to <paramref name="target"/>, within
    /// <paramref name="tolerance"/> points, and no client saw a copy's answer (the clients' own counts are 2xx whatever the copies got).
    /// </summary>
    public static void MirrorShare(TrafficReport report, string population, string target, Func<TrafficSegment, int?> percent, double tolerance = 3, long minRequests = 200)
    {
        var problems = new StringBuilder();
        var checkedSegments = 0;
        foreach (var segment in Population(report, population).Segments.Where(s => s.Counts.Sent >= minRequests))
        {
            if (percent(segment) is not { } expected)
            {
                continue;
            }

            checkedSegments++;
            var share = segment.MirrorShareOf(target);
            if (Math.Abs(share - expected) > tolerance)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{share:0.##}% of requests copied to {target} where the mirror was {expected}%: {Describe(segment)}");
            }

            if (segment.Counts.Succeeded + segment.Counts.Failed + segment.Counts.FailedNoEndpoint + segment.Counts.NotRouted != segment.Counts.Sent)
            {
                problems.AppendLine($"the clients' answers do not add up to what they sent (a copy's answer reached them?): {Describe(segment)}");
            }
        }

        Fail(problems, "mirroring did not copy the share asked");
        if (checkedSegments == 0)
        {
            throw new TrafficInvariantException($"no segment of {population} had a mirror percent and enough requests to check");
        }
    }

    /// <summary>
    /// 5. Every object the rollout touched ends as it began: <paramref name="select"/> (e.g. the spec and annotations) of its first and
    /// last recorded states are equal.
    /// </summary>
    public static void EndsAsItBegan(ObjectHistory history, string name, Func<JsonObject, JsonNode?> select)
    {
        var states = history.Track(name, o => select(o)?.ToJsonString() ?? "null");
        if (states.Count == 0)
        {
            throw new TrafficInvariantException($"{name} was never recorded");
        }

        if (states[0] != states[^1])
        {
            throw new TrafficInvariantException($"{name} does not end as it began:\n  began {states[0]}\n  ended {states[^1]}");
        }
    }

    /// <summary>
    /// Every weight written is one the plan asked for, in the plan's order (repeats and skipped steps allowed, going back never):
    /// <paramref name="written"/> is the sequence of weights the routes held (consecutive repeats removed).
    /// </summary>
    public static void WeightsFollowThePlan(IReadOnlyList<int> written, IReadOnlyList<int> plan)
    {
        var position = 0;
        foreach (var weight in written)
        {
            var found = -1;
            for (var i = position; i < plan.Count; i++)
            {
                if (plan[i] == weight)
                {
                    found = i;
                    break;
                }
            }

            if (found < 0)
            {
                throw new TrafficInvariantException($"weight {weight}% was written, which the plan [{string.Join(", ", plan)}] does not ask for at that point (written: [{string.Join(", ", written)}])");
            }

            position = found;
        }
    }

    /// <summary>The weight a segment's own configuration sends to <paramref name="canaryService"/> (to check the data plane against what the route holds).</summary>
    public static Func<TrafficSegment, int?> ConfiguredWeight(string canaryService) =>
        segment => segment.Backends.TryGetValue(canaryService, out var share) ? (int)Math.Round(share) : segment.Backends.Count > 0 ? 0 : null;

    public static string Describe(TrafficSegment segment) =>
        $"{segment.Entry} [{segment.Class}] {segment.From:HH:mm:ss.fff}-{segment.To:HH:mm:ss.fff} via {segment.Rule} "
        + $"({string.Join(", ", segment.Versions.Select(v => $"{v.Key}@{v.Value}"))}) backends {{{string.Join(", ", segment.Backends.Select(b => $"{b.Key}: {b.Value}%"))}}}: "
        + $"{segment.Counts.Sent} sent, {segment.Counts.Succeeded} ok, {segment.Counts.Failed} failed, {segment.Counts.FailedNoEndpoint} no endpoint, {segment.Counts.NotRouted} no route; "
        + string.Join(", ", segment.Revisions.Select(r => $"{r.Revision}: {r.Counts.Sent - r.Counts.FailedNoEndpoint} answered, {r.Counts.Mirrored} mirrored"));

    private static IEnumerable<PopulationReport> Populations(TrafficReport report, string? population) =>
        population is null ? report.Populations : [Population(report, population)];

    private static PopulationReport Population(TrafficReport report, string population) =>
        report.Populations.FirstOrDefault(p => p.Service == population || p.Service == "default/" + population)
        ?? throw new TrafficInvariantException($"no clients of {population} in the report (is sim.sluice.dev/rps set on the Service?)");

    private static void Fail(StringBuilder problems, string what)
    {
        if (problems.Length > 0)
        {
            throw new TrafficInvariantException($"{what}:\n{problems}");
        }
    }
}

/// <summary>A traffic invariant of spec traffic.md does not hold.</summary>
public sealed class TrafficInvariantException(string message) : Exception(message);
