using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// Sluice: who receives which requests while a rollout runs (spec traffic.md). Absent: no router, traffic
/// follows the pods. Several routers may be named at once; every traffic step is applied to each of them.
/// </summary>
public sealed record TrafficRouting
{
    /// <summary>The component's Service that clients use (the stable Service). Required.</summary>
    public string? Service { get; init; }

    /// <summary>The Service that selects only target pods; default <c>&lt;service&gt;-canary</c>, created and owned by the rollout.</summary>
    public string? CanaryService { get; init; }

    /// <summary>Gateway API HTTPRoutes (gateway.networking.k8s.io/v1) whose rules send traffic to <see cref="Service"/>.</summary>
    [JsonPropertyName("gatewayAPI")]
    public GatewayApiRouting? GatewayApi { get; init; }

    /// <summary>Istio VirtualServices (networking.istio.io/v1) whose http routes send traffic to <see cref="Service"/>.</summary>
    public IstioRouting? Istio { get; init; }

    /// <summary>An NGINX Ingress that targets <see cref="Service"/>; the rollout creates and owns a canary Ingress beside it.</summary>
    public NginxRouting? Nginx { get; init; }

    /// <summary>The canary Service's name: <see cref="CanaryService"/>, or <c>&lt;service&gt;-canary</c>.</summary>
    [JsonIgnore]
    public string EffectiveCanaryService => string.IsNullOrEmpty(CanaryService) ? $"{Service}-canary" : CanaryService;

    /// <summary>A router (Gateway API, Istio or NGINX) is named: weights, matches and mirrors can be expressed.</summary>
    [JsonIgnore]
    public bool HasRouter =>
        GatewayApi?.HttpRoutes is { Count: > 0 } || Istio?.VirtualServices is { Count: > 0 } || !string.IsNullOrEmpty(Nginx?.Ingress);
}
