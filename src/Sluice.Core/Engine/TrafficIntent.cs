using Sluice.Core.Api;

namespace Sluice.Core.Engine;

/// <summary>
/// A desired state of the rollout's traffic that the controller applies through the routers, beside the
/// <see cref="WorkloadIntent"/>s. Never an increment: applying one twice is the same as once, so a reconcile cut short
/// (a crash between the intents and the status write) repeats nothing when the next one applies it again. Every
/// router writes each object it changes at most once per decision, and records what it found on the object the
/// first time it changes it, so <see cref="ResetTraffic"/> can put it back exactly.
/// </summary>
public abstract record TrafficIntent;

/// <summary>
/// Canary: the stable Service selects its recorded selector plus the source's <c>rollout.sluice.dev/template-hash</c>;
/// the canary Service (created from the stable Service's ports when missing, owned by the rollout) its selector plus
/// the target's. Routes are not touched. Comes before the first <see cref="RouteTraffic"/>.
/// </summary>
public sealed record PinServices(string SourceHash, string TargetHash) : TrafficIntent
{
    public override string ToString() => $"pin services (stable {SourceHash}, canary {TargetHash})";
}

/// <summary>
/// Canary: every route sends <see cref="Weight"/> percent of requests to the canary Service and the rest to the stable
/// Service; requests matching any of <see cref="Matches"/> go to the canary Service whatever the weight; <see cref="Mirror"/>
/// percent of requests are also copied to the canary Service. Weight 0 with no matches and no mirror sends everything
/// to the stable Service (the state to go back to first when a rollout fails).
/// </summary>
public sealed record RouteTraffic(int Weight, IReadOnlyList<TrafficMatch> Matches, int Mirror) : TrafficIntent
{
    public static RouteTraffic AllToStable { get; } = new(0, [], 0);

    public override string ToString() =>
        $"route {Weight}% to the target{(Matches.Count > 0 ? $", {Matches.Count} match(es)" : "")}{(Mirror > 0 ? $", mirror {Mirror}%" : "")}";
}

/// <summary>Canary, on success, after weight 100%: the stable Service selects the target's hash, in one write.</summary>
public sealed record PromoteStable(string TargetHash) : TrafficIntent
{
    public override string ToString() => $"promote stable service to {TargetHash}";
}

/// <summary>
/// Blue/green: the active Service selects its recorded selector plus the source's hash (so target pods get none of its
/// traffic), the preview Service (created from the active Service's ports when missing, owned by the rollout) its
/// selector plus the target's. Comes once the target has ready pods.
/// </summary>
public sealed record PreviewTarget(string SourceHash, string TargetHash) : TrafficIntent
{
    public override string ToString() => $"preview (active {SourceHash}, preview {TargetHash})";
}

/// <summary>Blue/green promotion: the active Service selects the target's hash, in one write.</summary>
public sealed record SwitchActive(string TargetHash) : TrafficIntent
{
    public override string ToString() => $"switch active service to {TargetHash}";
}

/// <summary>
/// The end, whatever the outcome: every route back to its recorded original (all to the stable Service, no match rule,
/// no mirror), the canary Ingress deleted, then the canary and preview Services the rollout created deleted and every
/// Service it pinned back to its recorded selector. Routes go first, so no route ever names a deleted Service.
/// </summary>
public sealed record ResetTraffic : TrafficIntent
{
    public override string ToString() => "reset traffic";
}
