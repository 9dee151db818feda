using Sluice.Core.Engine;
using Sluice.Core.Operations;

namespace Sluice.Controllers.Operations;

/// <summary>
/// What a rollout's traffic looks like now, for people: the routers' own observation (each route's weight, matches and
/// mirror; each Service's pinned revision and ready pods), the revision each pinned template hash belongs to, and, on the
/// embedded plane, the live share of requests per revision.
/// </summary>
/// <param name="Observed">What the routers observe (read-only).</param>
/// <param name="RevisionsByHash">Template hash to revision name, from the pods that carry both labels and the status.</param>
/// <param name="Measured">A data plane counts requests (the embedded plane): say what <paramref name="Live"/> shows, or that nobody sends.</param>
/// <param name="Live">The live share, when clients send to the rollout's Service.</param>
/// <param name="Service">The Service clients use (trafficRouting.service, blueGreen.activeService).</param>
/// <param name="Problem">Why the routers could not be observed (RBAC, an API error), or null.</param>
public sealed record TrafficPicture(TrafficSnapshot Observed, IReadOnlyDictionary<string, string> RevisionsByHash, bool Measured, LiveShare? Live, string Service, string? Problem = null)
{
    /// <summary>The revision a Service pinned to <paramref name="hash"/> selects ("every revision" when it pins none).</summary>
    public string RevisionOf(string? hash) =>
        hash is null ? "every revision" : RevisionsByHash.TryGetValue(hash, out var revision) ? revision : $"template-hash {hash}";
}
