using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Traffic;

/// <summary>The routing kinds the routers steer, at the versions a real cluster serves them.</summary>
public static class TrafficKinds
{
    public static readonly ResourceKind HttpRoute = new("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes");
    public static readonly ResourceKind Gateway = new("gateway.networking.k8s.io", "v1", "Gateway", "gateways");
    public static readonly ResourceKind VirtualService = new("networking.istio.io", "v1", "VirtualService", "virtualservices");
    public static readonly ResourceKind Ingress = new("networking.k8s.io", "v1", "Ingress", "ingresses");
}
