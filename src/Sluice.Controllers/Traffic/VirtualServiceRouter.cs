using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// Istio VirtualService (networking.istio.io/v1), for each entry of <c>trafficRouting.istio.virtualServices</c>: weighted
/// <c>route[].destination.host</c> of the stable and canary Services, an http route with the matches placed before each
/// steered one, and <c>mirror</c> with <c>mirrorPercentage</c> (<see cref="VirtualServiceRoutes"/>). <c>spec.http</c> as
/// found is recorded on the VirtualService the first time it changes and put back exactly on reset.
/// </summary>
public sealed class VirtualServiceRouter(WorkloadPatcher patcher) : ITrafficRouter
{
    private readonly RouteObject routes = new(patcher, TrafficKinds.VirtualService, "http");

    public string Kind => "VirtualService";

    public TrafficCapabilities Capabilities { get; } = new()
    {
        Weights = true, HeaderExact = true, HeaderPrefix = true, HeaderRegex = true, Cookie = true, QueryParams = true, Mirror = MirrorSupport.Percent,
    };

    public async Task<IReadOnlyList<PlanError>> VerifyAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var errors = new List<PlanError>(TrafficCapabilityCheck.Check(target.Plan, "an Istio VirtualService", Capabilities));
        var service = target.Routing?.Service ?? "";
        var entries = target.Routing?.Istio?.VirtualServices ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"spec.rolloutPlan.trafficRouting.istio.virtualServices[{i}]";
            var name = entries[i].Name ?? "";
            var (live, original) = await routes.ReadAsync(target, name, cancellationToken);
            if (live is null)
            {
                errors.Add(new PlanError($"{field}.name", $"{field}.name: Not found: VirtualService \"{name}\" in namespace \"{target.RolloutNamespace}\""));
                continue;
            }

            if (TrafficMarks.HeldByAnother(live, target) is { } other)
            {
                errors.Add(new PlanError($"{field}.name", $"{field}.name: Forbidden: VirtualService \"{name}\" is held by rollout {other}; it must finish or be deleted first"));
                continue;
            }

            var named = entries[i].Routes ?? [];
            if (named.Count == 0 && !original.Any(r => VirtualServiceRoutes.Targets(r, service, target.RolloutNamespace)))
            {
                errors.Add(new PlanError($"{field}.name", $"{field}.name: Invalid value: \"{name}\": no http route of the VirtualService has a destination host naming Service \"{service}\""));
            }

            for (var r = 0; r < named.Count; r++)
            {
                var route = original.FirstOrDefault(h => Sluice.Controllers.Workloads.JsonPath.String(h, "name") == named[r]);
                if (route is null)
                {
                    errors.Add(new PlanError($"{field}.routes[{r}]", $"{field}.routes[{r}]: Not found: http route \"{named[r]}\" in VirtualService \"{name}\""));
                }
                else if (!VirtualServiceRoutes.Targets(route, service, target.RolloutNamespace))
                {
                    errors.Add(new PlanError($"{field}.routes[{r}]", $"{field}.routes[{r}]: Invalid value: \"{named[r]}\": the http route has no destination host naming Service \"{service}\""));
                }
            }
        }

        return errors;
    }

    public async Task<TrafficSnapshot> ObserveAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var snapshots = new List<RouteSnapshot>();
        foreach (var entry in target.Routing?.Istio?.VirtualServices ?? [])
        {
            var name = entry.Name ?? "";
            var (live, _) = await routes.ReadAsync(target, name, cancellationToken);
            if (live is null)
            {
                snapshots.Add(new RouteSnapshot(Kind, name));
                continue;
            }

            var (weight, mirror) = VirtualServiceRoutes.Read(routes.Live(live), target.Routing!.Service!, target.Routing.EffectiveCanaryService, target.RolloutNamespace);
            snapshots.Add(new RouteSnapshot(Kind, name)
            {
                Exists = true,
                Weight = weight,
                Mirror = mirror,
                Matches = routes.InSync(live, target, Renderer(target, entry))?.Matches ?? [],
                OriginalRecorded = TrafficMarks.RecordedOriginal(live, target) is not null,
            });
        }

        return new TrafficSnapshot { Routes = snapshots };
    }

    public async Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, CancellationToken cancellationToken)
    {
        foreach (var entry in target.Routing?.Istio?.VirtualServices ?? [])
        {
            await routes.ApplyAsync(target, entry.Name ?? "", intents, Renderer(target, entry), cancellationToken);
        }
    }

    private static RouteObject.Renderer Renderer(TrafficTarget target, IstioVirtualService entry) =>
        (original, traffic) => VirtualServiceRoutes.Render(original, traffic, entry.Routes ?? [], target.Routing!.Service!, target.Routing.EffectiveCanaryService, target.RolloutNamespace);
}
