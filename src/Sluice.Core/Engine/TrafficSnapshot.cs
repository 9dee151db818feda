namespace Sluice.Core.Engine;

/// <summary>
/// The neutral view of what a rollout's routers send where now, built by <see cref="ITrafficRouter"/>s: each route's
/// weight, matches and mirror, and which revision each Service selects.
/// </summary>
public sealed record TrafficSnapshot
{
    public static TrafficSnapshot Empty { get; } = new();

    public IReadOnlyList<RouteSnapshot> Routes { get; init; } = [];

    public IReadOnlyList<ServiceSnapshot> Services { get; init; } = [];

    /// <summary>The lowest weight any route sends to the target (0 with no routes): what every client is sure to get.</summary>
    public int Weight => Routes.Count == 0 ? 0 : Routes.Min(r => r.Weight);

    /// <summary>Something the rollout changed is still recorded for a reset.</summary>
    public bool Touched =>
        Routes.Any(r => r.OriginalRecorded) || Services.Any(s => s.OriginalRecorded || s.CreatedByRollout);

    public ServiceSnapshot? Service(ServiceRole role) => Services.FirstOrDefault(s => s.Role == role);

    /// <summary>Both snapshots' routes and Services (a composite router joins its routers' views).</summary>
    public TrafficSnapshot Join(TrafficSnapshot other) => new()
    {
        Routes = [.. Routes, .. other.Routes],
        Services = [.. Services, .. other.Services],
    };

    public override string ToString() => string.Join("; ", Routes.Select(r => r.ToString()).Concat(Services.Select(s => s.ToString())));
}
