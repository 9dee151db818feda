using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// Gateway API HTTPRoute (gateway.networking.k8s.io/v1), for each route in <c>trafficRouting.gatewayAPI.httpRoutes</c>:
/// weighted backendRefs of the stable and canary Services, a rule with the matches placed before the weighted one, and a
/// RequestMirror filter with <c>percent</c> (<see cref="HttpRouteRules"/>). The rules as found are recorded on the route
/// the first time it changes and put back exactly on reset. Header regular expressions (a prefix, a cookie) and mirror
/// percentages are Gateway API's extended features: the implementation behind the Gateway must support them.
/// </summary>
public sealed class HttpRouteRouter(WorkloadPatcher patcher) : ITrafficRouter
{
    /// <summary>Gateway API's limit of rules per HTTPRoute.</summary>
    public const int MaxRules = 16;

    private readonly RouteObject routes = new(patcher, TrafficKinds.HttpRoute, "rules");

    public string Kind => "HTTPRoute";

    public TrafficCapabilities Capabilities { get; } = new()
    {
        Weights = true, HeaderExact = true, HeaderPrefix = true, HeaderRegex = true, Cookie = true, QueryParams = true, Mirror = MirrorSupport.Percent,
    };

    public async Task<IReadOnlyList<PlanError>> VerifyAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var errors = new List<PlanError>(TrafficCapabilityCheck.Check(target.Plan, "a Gateway API HTTPRoute", Capabilities));
        var service = target.Routing?.Service ?? "";
        var names = target.Routing?.GatewayApi?.HttpRoutes ?? [];
        var withMatches = (target.Plan.RolloutBatches ?? []).Any(b => b.Matches is { Count: > 0 });
        for (var i = 0; i < names.Count; i++)
        {
            var field = $"spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[{i}]";
            var (live, original) = await routes.ReadAsync(target, names[i], cancellationToken);
            if (live is null)
            {
                errors.Add(new PlanError(field, $"{field}: Not found: HTTPRoute \"{names[i]}\" in namespace \"{target.RolloutNamespace}\""));
            }
            else if (TrafficMarks.HeldByAnother(live, target) is { } other)
            {
                errors.Add(new PlanError(field, $"{field}: Forbidden: HTTPRoute \"{names[i]}\" is held by rollout {other}; it must finish or be deleted first"));
            }
            else if (!original.Any(r => HttpRouteRules.Targets(r, service, target.RolloutNamespace)))
            {
                errors.Add(new PlanError(field, $"{field}: Invalid value: \"{names[i]}\": no rule of the HTTPRoute has a backendRef to Service \"{service}\""));
            }
            else if (withMatches && original.Count + original.Count(r => HttpRouteRules.Targets(r, service, target.RolloutNamespace)) > MaxRules)
            {
                errors.Add(new PlanError(field, $"{field}: Invalid value: \"{names[i]}\": matches need one more rule per rule sending to Service \"{service}\", which would exceed the {MaxRules} rules an HTTPRoute may have"));
            }
        }

        return errors;
    }

    public async Task<TrafficSnapshot> ObserveAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var snapshots = new List<RouteSnapshot>();
        foreach (var name in target.Routing?.GatewayApi?.HttpRoutes ?? [])
        {
            var (live, _) = await routes.ReadAsync(target, name, cancellationToken);
            if (live is null)
            {
                snapshots.Add(new RouteSnapshot(Kind, name));
                continue;
            }

            var (weight, mirror) = HttpRouteRules.Read(routes.Live(live), target.Routing!.Service!, target.Routing.EffectiveCanaryService, target.RolloutNamespace);
            snapshots.Add(new RouteSnapshot(Kind, name)
            {
                Exists = true,
                Weight = weight,
                Mirror = mirror,
                Matches = routes.InSync(live, target, Renderer(target))?.Matches ?? [],
                OriginalRecorded = TrafficMarks.RecordedOriginal(live, target) is not null,
            });
        }

        return new TrafficSnapshot { Routes = snapshots };
    }

    public async Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, CancellationToken cancellationToken)
    {
        foreach (var name in target.Routing?.GatewayApi?.HttpRoutes ?? [])
        {
            await routes.ApplyAsync(target, name, intents, Renderer(target), cancellationToken);
        }
    }

    private static RouteObject.Renderer Renderer(TrafficTarget target) =>
        (original, traffic) => HttpRouteRules.Render(original, traffic, target.Routing!.Service!, target.Routing.EffectiveCanaryService, target.RolloutNamespace);
}
