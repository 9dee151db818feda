namespace Sluice.Core.Api;

/// <summary>Sluice: the Gateway API routes a rollout steers.</summary>
public sealed record GatewayApiRouting
{
    /// <summary>Names of HTTPRoutes in the rollout's namespace whose rules send traffic to the stable Service.</summary>
    public IReadOnlyList<string>? HttpRoutes { get; init; }
}
