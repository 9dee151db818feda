using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// Every router a plan names, behind one <see cref="ITrafficRouter"/>: the Services (always, for <c>trafficRouting</c> and
/// <c>blueGreen</c>), then each HTTPRoute, VirtualService and NGINX Ingress the plan names. The reconciler holds one and
/// calls it as it calls the workload adapter. Order of writes in a decision: Service pins first (a canary Service exists
/// before any route names it), then the routes, then a reset's Service deletions and unpinning (no route names a Service
/// that is going away).
/// </summary>
public sealed class TrafficRouters : ITrafficRouter
{
    private readonly ServiceRouter services;
    private readonly HttpRouteRouter httpRoutes;
    private readonly VirtualServiceRouter virtualServices;
    private readonly NginxIngressRouter nginx;

    public TrafficRouters(WorkloadPatcher patcher)
    {
        services = new ServiceRouter(patcher);
        httpRoutes = new HttpRouteRouter(patcher);
        virtualServices = new VirtualServiceRouter(patcher);
        nginx = new NginxIngressRouter(patcher);
    }

    public string Kind => "Traffic";

    /// <summary>What every route kind can express: NGINX's, the least of them (the plan's routers are checked one by one in <see cref="VerifyAsync"/>).</summary>
    public TrafficCapabilities Capabilities => nginx.Capabilities;

    /// <summary>The plan has traffic fields: something to verify, observe and apply.</summary>
    public static bool Applies(TrafficTarget target) => target.Routing is not null || target.BlueGreen is not null;

    /// <summary>The routers the plan names, Services first.</summary>
    public IEnumerable<ITrafficRouter> For(TrafficTarget target)
    {
        if (!Applies(target))
        {
            yield break;
        }

        yield return services;
        if (target.Routing?.GatewayApi?.HttpRoutes is { Count: > 0 })
        {
            yield return httpRoutes;
        }

        if (target.Routing?.Istio?.VirtualServices is { Count: > 0 })
        {
            yield return virtualServices;
        }

        if (target.Routing?.Nginx?.Ingress is { Length: > 0 })
        {
            yield return nginx;
        }
    }

    public async Task<IReadOnlyList<PlanError>> VerifyAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var errors = new List<PlanError>();
        foreach (var router in For(target))
        {
            errors.AddRange(await router.VerifyAsync(target, cancellationToken));
        }

        return errors;
    }

    public async Task<TrafficSnapshot> ObserveAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var snapshot = TrafficSnapshot.Empty;
        foreach (var router in For(target))
        {
            snapshot = snapshot.Join(await router.ObserveAsync(target, cancellationToken));
        }

        return snapshot;
    }

    public async Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, CancellationToken cancellationToken)
    {
        if (intents.Count == 0 || !Applies(target))
        {
            return;
        }

        var routers = For(target).ToList();
        var pins = intents.Where(i => i is not ResetTraffic).ToList();
        if (pins.Count > 0)
        {
            await services.ApplyAsync(target, pins, cancellationToken);
        }

        foreach (var router in routers.Where(r => r != services))
        {
            await router.ApplyAsync(target, intents, cancellationToken);
        }

        if (intents.OfType<ResetTraffic>().FirstOrDefault() is { } reset)
        {
            await services.ApplyAsync(target, [reset], cancellationToken);
        }
    }
}
