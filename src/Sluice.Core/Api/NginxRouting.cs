namespace Sluice.Core.Api;

/// <summary>Sluice: the NGINX Ingress a rollout steers through a canary Ingress beside it.</summary>
public sealed record NginxRouting
{
    /// <summary>Name of the Ingress (class nginx) that targets the stable Service.</summary>
    public string? Ingress { get; init; }
}
