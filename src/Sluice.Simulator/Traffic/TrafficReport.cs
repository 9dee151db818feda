using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Core.Operations;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// What the simulated clients' requests did, as the data plane counted them (in-process from <see cref="DataPlane.Report"/>,
/// over HTTP as JSON from <c>/traffic</c>): per client population (a Service with <c>sim.sluice.dev/rps</c>), totals, per
/// revision, per kind of request, and the history in segments (one per routing configuration seen).
/// </summary>
public sealed record TrafficReport(DateTimeOffset Time, IReadOnlyList<PopulationReport> Populations)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The last error a tick of the data plane met (a bug), or null.</summary>
    public string? Error { get; init; }

    public PopulationReport? Population(string ns, string service) => Populations.FirstOrDefault(p => p.Service == $"{ns}/{service}");

    /// <summary>
    /// The live share of the clients of <paramref name="service"/>: their requests since the routing last changed (the
    /// current segment of each entry and kind of request, those still receiving requests), by the revision that answered.
    /// Null when no simulated client sends to it.
    /// </summary>
    public LiveShare? Share(string ns, string service)
    {
        if (Population(ns, service) is not { } population)
        {
            return null;
        }

        // A segment is current when it is the last of its entry and kind and still received requests at the last tick or so.
        var current = population.Segments
            .GroupBy(s => (s.Entry, s.Class))
            .Select(g => g.MaxBy(s => s.From)!)
            .Where(s => s.To >= Time - CurrentSlack)
            .ToList();
        var requests = current.Sum(s => s.Counts.Sent);
        var revisions = current.SelectMany(s => s.Revisions)
            .GroupBy(r => r.Revision, StringComparer.Ordinal)
            .Select(g =>
            {
                var answered = g.Sum(r => r.Counts.Sent - r.Counts.FailedNoEndpoint);
                var mirrored = g.Sum(r => r.Counts.Mirrored);
                return new RevisionShare(g.Key, requests == 0 ? 0 : answered * 100.0 / requests, answered, g.Sum(r => r.Counts.Failed), requests == 0 ? 0 : mirrored * 100.0 / requests);
            })
            .Where(r => r.Answered > 0 || r.MirroredPercent > 0)
            .OrderByDescending(r => r.Percent)
            .ThenBy(r => r.Revision, StringComparer.Ordinal)
            .ToList();
        var since = current.Count == 0 ? Time : current.Min(s => s.From);
        return new LiveShare(population.Service, since, Time, requests, current.Sum(s => s.Counts.FailedNoEndpoint), revisions);
    }

    /// <summary>How far behind the last tick a segment may end and still count as current (a few ticks).</summary>
    private static readonly TimeSpan CurrentSlack = TimeSpan.FromSeconds(2);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrafficReport FromJson(string json) =>
        JsonSerializer.Deserialize<TrafficReport>(json, Json) ?? throw new JsonException("the traffic report is null");
}

/// <summary>
/// Counts of requests. <see cref="Sent"/> = <see cref="Succeeded"/> + <see cref="Failed"/> + <see cref="FailedNoEndpoint"/>
/// + <see cref="NotRouted"/>; mirrored copies are counted apart and never reach the clients.
/// </summary>
/// <param name="Sent">Requests the clients sent (for a revision: that reached one of its pods, or were meant for it).</param>
/// <param name="Succeeded">Answered 2xx by a pod.</param>
/// <param name="Failed">Answered 5xx by a pod (its <c>error-rate</c> fault).</param>
/// <param name="FailedNoEndpoint">Answered 503 because the Service they were sent to had no ready endpoint: failed by the rollout.</param>
/// <param name="NotRouted">Answered 404 or 500 by the router: no rule matched, or the matching rule sends nowhere.</param>
/// <param name="Mirrored">Copies sent to pods (or to a Service with no endpoint) by a mirror.</param>
/// <param name="MirroredFailed">Copies that failed (their answers are discarded).</param>
public sealed record RequestCounts(long Sent, long Succeeded, long Failed, long FailedNoEndpoint, long NotRouted, long Mirrored, long MirroredFailed)
{
    public static RequestCounts Zero { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Every request the clients sent was answered 2xx.</summary>
    [JsonIgnore]
    public bool AllSucceeded => Succeeded == Sent;
}

/// <summary>Requests that reached (or were meant for) one revision: the pods' <c>rollout.sluice.dev/revision</c> label.</summary>
public sealed record RevisionCounts(string Revision, RequestCounts Counts);

/// <summary>One kind of request (<c>plain</c>, or <c>header x-beta=true</c>, <c>cookie beta=always</c>, <c>query beta=1</c>).</summary>
public sealed record ClassReport(string Class, RequestCounts Counts, IReadOnlyList<RevisionCounts> Revisions);

/// <summary>
/// One stretch of time during which one kind of request entered through one entry with one routing configuration
/// (the same resourceVersions of the route and of the Services it sent to). <see cref="Backends"/> is the share of
/// requests the configuration sends to each Service (percent), <see cref="Mirrors"/> the share copied.
/// </summary>
public sealed record TrafficSegment(
    string Entry,
    string Class,
    DateTimeOffset From,
    DateTimeOffset To,
    string Rule,
    IReadOnlyDictionary<string, long> Versions,
    IReadOnlyDictionary<string, double> Backends,
    IReadOnlyDictionary<string, double> Mirrors,
    RequestCounts Counts,
    IReadOnlyList<RevisionCounts> Revisions)
{
    /// <summary>Percent of this segment's requests answered by pods of <paramref name="revision"/> (NaN with none).</summary>
    public double ShareOf(string revision) =>
        Counts.Sent == 0 ? double.NaN : Revisions.Where(r => r.Revision == revision).Sum(r => r.Counts.Sent - r.Counts.FailedNoEndpoint) * 100.0 / Counts.Sent;

    /// <summary>Copies that reached <paramref name="revision"/> as a percent of this segment's requests (NaN with none).</summary>
    public double MirrorShareOf(string revision) =>
        Counts.Sent == 0 ? double.NaN : Revisions.Where(r => r.Revision == revision).Sum(r => r.Counts.Mirrored) * 100.0 / Counts.Sent;
}

/// <summary>The clients of one Service: what they ask for (<see cref="Rps"/>, <see cref="Entries"/>) and what happened.</summary>
/// <param name="Service">"namespace/name".</param>
/// <param name="Problem">Why its annotations could not be read (then it sends nothing), or null.</param>
public sealed record PopulationReport(
    string Service,
    double Rps,
    string? Problem,
    IReadOnlyList<string> Entries,
    RequestCounts Counts,
    IReadOnlyList<RevisionCounts> Revisions,
    IReadOnlyList<ClassReport> Classes,
    IReadOnlyList<TrafficSegment> Segments)
{
    public RequestCounts Revision(string revision) => Revisions.FirstOrDefault(r => r.Revision == revision)?.Counts ?? RequestCounts.Zero;

    public ClassReport? Class(string name) => Classes.FirstOrDefault(c => c.Class == name);
}
