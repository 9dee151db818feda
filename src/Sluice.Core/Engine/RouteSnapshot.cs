using Sluice.Core.Api;

namespace Sluice.Core.Engine;

/// <summary>One routing object a rollout steers (an HTTPRoute, a VirtualService, an Ingress and its canary), as observed.</summary>
/// <param name="Kind">"HTTPRoute", "VirtualService" or "Ingress".</param>
public sealed record RouteSnapshot(string Kind, string Name)
{
    public bool Exists { get; init; }

    /// <summary>Percent of requests it sends to the canary Service (0 when it sends none).</summary>
    public int Weight { get; init; }

    /// <summary>The requests it sends to the canary Service whatever the weight.</summary>
    public IReadOnlyList<TrafficMatch> Matches { get; init; } = [];

    /// <summary>Percent of requests it copies to the canary Service.</summary>
    public int Mirror { get; init; }

    /// <summary>What the rollout found on it is recorded on it (the rollout changed it and will put it back).</summary>
    public bool OriginalRecorded { get; init; }

    public override string ToString() =>
        !Exists ? $"{Kind} {Name}: missing"
            : $"{Kind} {Name}: {Weight}% to the target{(Matches.Count > 0 ? $", {Matches.Count} match(es)" : "")}{(Mirror > 0 ? $", mirror {Mirror}%" : "")}";
}
