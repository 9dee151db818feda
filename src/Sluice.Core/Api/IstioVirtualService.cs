namespace Sluice.Core.Api;

/// <summary>Sluice: one VirtualService and the http routes of it a rollout steers.</summary>
public sealed record IstioVirtualService
{
    public string? Name { get; init; }

    /// <summary>Names of http routes; empty means every http route that sends traffic to the stable Service.</summary>
    public IReadOnlyList<string>? Routes { get; init; }
}
