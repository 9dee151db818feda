using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// Every router a plan names, behind one <see cref="ITrafficRouter"/>: the Services (always, for <c>trafficRouting</c> and
/// <c>blueGreen</c>), then each HTTPRoute, VirtualService and NGINX Ingress the plan names. The reconciler holds one and
/// calls it as it calls the workload adapter. Order of writes in a decision: see <see cref="ApplyAsync"/>.
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

    /// <summary>
    /// Applies a decision's intents in an order that never sends a request to a Service without ready pods, nor routes to a
    /// Service that does not exist. A reset (and whatever came before it in the decision) goes first, from the outside in:
    /// the Services clients use are unpinned (they then select every revision's ready pods, a superset of what they served)
    /// unless the rest of the decision pins them again to what they select now and they have ready pods (they then keep
    /// that pin: no client sees another revision for a moment), the routes go back to their original form, then the
    /// Services the rollout created go. What follows a reset (a rollout that let go of its target and takes the routes over
    /// again for a new one, in the same decision) then starts from that neutral state, as does any decision without a
    /// reset: the canary and preview Services first (they select their revision before a route names them), then the
    /// routes, then the Services clients use (pinned once the routes send the target its share, so the source never keeps a
    /// share its pinned Service cannot serve).
    /// </summary>
    public async Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, CancellationToken cancellationToken)
    {
        if (intents.Count == 0 || !Applies(target))
        {
            return;
        }

        var routes = For(target).Where(r => r != services).ToList();
        var reset = intents.ToList().FindLastIndex(i => i is ResetTraffic);
        if (reset >= 0)
        {
            var upToReset = intents.Take(reset + 1).ToList();
            var kept = await services.KeptThroughResetAsync(target, intents.Skip(reset + 1).ToList(), cancellationToken);
            await services.ApplyAsync(target, upToReset, ServiceSide.Base, cancellationToken, kept);
            foreach (var router in routes)
            {
                await router.ApplyAsync(target, upToReset, cancellationToken);
            }

            await services.ApplyAsync(target, upToReset, ServiceSide.Derived, cancellationToken);
            intents = intents.Skip(reset + 1).ToList();
            if (intents.Count == 0)
            {
                return;
            }
        }

        await services.ApplyAsync(target, intents, ServiceSide.Derived, cancellationToken);
        foreach (var router in routes)
        {
            await router.ApplyAsync(target, intents, cancellationToken);
        }

        await services.ApplyAsync(target, intents, ServiceSide.Base, cancellationToken);
    }
}
