namespace Sluice.Simulator.Traffic;

/// <summary>
/// A way the clients of a Service come in: through an HTTPRoute (attached to a Gateway), a VirtualService, an Ingress (with
/// its canary Ingress), or straight to the Service. <see cref="Versions"/> are the resourceVersions of the objects that
/// decide the routing (a new one starts a new <see cref="TrafficSegment"/>).
/// </summary>
internal sealed record Entry(
    string Kind,
    string Namespace,
    string Name,
    string Host,
    string Path,
    string SourceWorkload,
    string SourceNamespace,
    IReadOnlyDictionary<string, long> Versions,
    Func<RequestClass, string, RouteDecision> Route)
{
    public string Key => $"{Kind} {Namespace}/{Name}";

    /// <summary>How <c>sim.sluice.dev/entry</c> names it: "httproute/web", "virtualservice/web", "ingress/web", "service".</summary>
    public string Selector => Kind == "Service" ? "service" : $"{Kind.ToLowerInvariant()}/{Name}";
}
