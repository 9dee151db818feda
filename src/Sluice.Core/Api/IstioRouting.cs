namespace Sluice.Core.Api;

/// <summary>Sluice: the Istio VirtualServices a rollout steers.</summary>
public sealed record IstioRouting
{
    public IReadOnlyList<IstioVirtualService>? VirtualServices { get; init; }
}
