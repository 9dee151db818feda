using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// Services alone: the stable and canary Services of a canary (<c>trafficRouting</c>) and the active and preview Services of
/// blue/green (<c>blueGreen</c>), each pinned to a revision by adding <c>rollout.sluice.dev/template-hash</c> to its selector.
/// The first change records the selector as found (<see cref="TrafficMarks.Original"/>), put back exactly on reset; a canary
/// or preview Service that does not exist is created from the stable or active one's ports, owned by the rollout, and
/// deleted on reset. One write per Service per decision. Weights, matches and mirrors are the route routers' business.
/// </summary>
public sealed class ServiceRouter(WorkloadPatcher patcher) : ITrafficRouter
{
    public string Kind => "Service";

    public TrafficCapabilities Capabilities => TrafficCapabilities.None;

    public async Task<IReadOnlyList<PlanError>> VerifyAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var errors = new List<PlanError>();
        foreach (var role in Roles(target))
        {
            var service = await patcher.Api.GetAsync(ResourceKind.Service, target.RolloutNamespace, role.Name, cancellationToken);
            if (TrafficMarks.HeldByAnother(service, target) is { } other)
            {
                errors.Add(new PlanError(role.Field, $"{role.Field}: Forbidden: Service \"{role.Name}\" is held by rollout {other}; it must finish or be deleted first"));
                continue;
            }

            if (role.Base is not null)
            {
                continue;
            }

            if (service is null)
            {
                errors.Add(new PlanError(role.Field, $"{role.Field}: Not found: Service \"{role.Name}\" in namespace \"{target.RolloutNamespace}\""));
                continue;
            }

            var selector = OriginalSelector(service, target);
            if (selector.Count == 0)
            {
                errors.Add(new PlanError(role.Field, $"{role.Field}: Invalid value: \"{role.Name}\": the Service has no selector, so it cannot be pinned to a revision"));
                continue;
            }

            if (target.SourceHash is { } source && !TrafficMarks.HeldBy(service, target))
            {
                var pods = await ReadyPodsAsync(target.RolloutNamespace, selector, cancellationToken);
                var unmarked = pods.Where(p => Pods.TemplateHash(p) is var hash && hash != source && hash != target.TargetHash).ToList();
                if (unmarked.Count > 0)
                {
                    errors.Add(new PlanError(role.Field,
                        $"{role.Field}: Invalid value: \"{role.Name}\": {unmarked.Count} of the {pods.Count} ready pods it selects (e.g. {JsonPath.String(unmarked[0], "metadata.name")}) do not carry {WorkloadMarks.TemplateHashLabel}={source}: "
                        + "pinning the Service to the source revision would take them out of it. Pods carry it once a Sluice rollout has rolled them (roll the source out once without traffic routing)"));
                }
            }
        }

        return errors;
    }

    public async Task<TrafficSnapshot> ObserveAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var services = new List<ServiceSnapshot>();
        foreach (var role in Roles(target))
        {
            var service = await patcher.Api.GetAsync(ResourceKind.Service, target.RolloutNamespace, role.Name, cancellationToken);
            if (service is null)
            {
                services.Add(new ServiceSnapshot(role.Role, role.Name));
                continue;
            }

            var selector = JsonPath.Get(service, "spec.selector") as JsonObject ?? [];
            services.Add(new ServiceSnapshot(role.Role, role.Name)
            {
                Exists = true,
                SelectedHash = (selector[WorkloadMarks.TemplateHashLabel] as JsonValue)?.GetValue<string>(),
                OriginalRecorded = TrafficMarks.RecordedOriginal(service, target) is not null,
                CreatedByRollout = TrafficMarks.CreatedByRollout(service, target),
                ReadyPods = selector.Count == 0 ? 0 : (await ReadyPodsAsync(target.RolloutNamespace, Map(selector), cancellationToken)).Count,
            });
        }

        return new TrafficSnapshot { Services = services };
    }

    /// <summary>Each Service's desired state after every intent (the last one wins), then one write per Service.</summary>
    public Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, CancellationToken cancellationToken) =>
        ApplyAsync(target, intents, ServiceSide.Both, cancellationToken);

    /// <summary>
    /// As <see cref="ApplyAsync(TrafficTarget, IReadOnlyList{TrafficIntent}, CancellationToken)"/>, writing only the Services of
    /// <paramref name="side"/>, and none of <paramref name="keep"/>.
    /// </summary>
    internal async Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, ServiceSide side, CancellationToken cancellationToken,
        IReadOnlySet<ServiceRole>? keep = null)
    {
        var desired = Desired(intents);
        foreach (var role in keep ?? new HashSet<ServiceRole>())
        {
            desired.Remove(role);
        }

        // Created Services first (their base is read as found), then the pins of the base Services.
        foreach (var role in Roles(target).Where(r => desired.ContainsKey(r.Role) && side switch
        {
            ServiceSide.Base => r.Base is null,
            ServiceSide.Derived => r.Base is not null,
            _ => true,
        }).OrderBy(r => r.Base is null ? 1 : 0))
        {
            if (desired[role.Role] is { } hash)
            {
                await PinAsync(target, role, hash, cancellationToken);
            }
            else
            {
                await ResetAsync(target, role, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The Services clients use that a reset need not let go of: those <paramref name="after"/> (the rest of the decision, a
    /// new take-over) pins again to the revision they select now, while they have ready pods. Unpinning them would hand
    /// clients every revision's pods for a moment: in blue/green, the abandoned target's before any switch.
    /// </summary>
    internal async Task<IReadOnlySet<ServiceRole>> KeptThroughResetAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> after, CancellationToken cancellationToken)
    {
        var kept = new HashSet<ServiceRole>();
        var desired = Desired(after);
        foreach (var role in Roles(target).Where(r => r.Base is null))
        {
            if (desired.GetValueOrDefault(role.Role) is not { } hash)
            {
                continue;
            }

            var live = await patcher.Api.GetAsync(ResourceKind.Service, target.RolloutNamespace, role.Name, cancellationToken);
            var selector = JsonPath.Get(live, "spec.selector") as JsonObject;
            if (live is not null && TrafficMarks.RecordedOriginal(live, target) is not null
                && (selector?[WorkloadMarks.TemplateHashLabel] as JsonValue)?.GetValue<string>() == hash
                && (await ReadyPodsAsync(target.RolloutNamespace, Map(selector), cancellationToken)).Count > 0)
            {
                kept.Add(role.Role);
            }
        }

        return kept;
    }

    /// <summary>Each Service's desired state after every intent (the last one wins): a hash to pin, or null to put it back.</summary>
    private static Dictionary<ServiceRole, string?> Desired(IReadOnlyList<TrafficIntent> intents)
    {
        var desired = new Dictionary<ServiceRole, string?>();
        foreach (var intent in intents)
        {
            switch (intent)
            {
                case PinServices pin:
                    desired[ServiceRole.Stable] = pin.SourceHash;
                    desired[ServiceRole.Canary] = pin.TargetHash;
                    break;
                case PromoteStable promote:
                    desired[ServiceRole.Stable] = promote.TargetHash;
                    break;
                case PreviewTarget preview:
                    desired[ServiceRole.Active] = preview.SourceHash;
                    desired[ServiceRole.Preview] = preview.TargetHash;
                    break;
                case SwitchActive switchActive:
                    desired[ServiceRole.Active] = switchActive.TargetHash;
                    break;
                case ResetTraffic:
                    foreach (var role in Enum.GetValues<ServiceRole>())
                    {
                        desired[role] = null;
                    }

                    break;
            }
        }

        return desired;
    }

    private async Task PinAsync(TrafficTarget target, Slot role, string hash, CancellationToken cancellationToken)
    {
        var ns = target.RolloutNamespace;
        var live = await patcher.Api.GetAsync(ResourceKind.Service, ns, role.Name, cancellationToken);
        if (live is null)
        {
            var baseName = role.Base is { } b ? Roles(target).First(r => r.Role == b).Name : null;
            var baseService = baseName is null ? null : await patcher.Api.GetAsync(ResourceKind.Service, ns, baseName, cancellationToken);
            if (baseService is null)
            {
                throw new InvalidOperationException($"Service {ns}/{baseName ?? role.Name} not found: {role.Role} Service {role.Name} cannot be pinned to {hash}");
            }

            await patcher.Api.CreateAsync(ResourceKind.Service, ns, NewService(target, role.Name, baseService, hash), cancellationToken);
            return;
        }

        if (TrafficMarks.HeldByAnother(live, target) is { } other)
        {
            throw new InvalidOperationException($"Service {ns}/{role.Name} is held by rollout {other}");
        }

        await patcher.PatchAsync(ResourceKind.Service, live, service =>
        {
            var selector = TrafficMarks.CreatedByRollout(service, target)
                ? OriginalSelector(service, target)
                : Map(TrafficMarks.Hold(service, target, RecordSelector)["selector"] as JsonObject);
            selector[WorkloadMarks.TemplateHashLabel] = hash;
            JsonPath.Set(service, "spec.selector", ToJson(selector));
        }, cancellationToken);
    }

    private async Task ResetAsync(TrafficTarget target, Slot role, CancellationToken cancellationToken)
    {
        var ns = target.RolloutNamespace;
        var live = await patcher.Api.GetAsync(ResourceKind.Service, ns, role.Name, cancellationToken);
        if (live is null)
        {
            return;
        }

        if (TrafficMarks.CreatedByRollout(live, target))
        {
            await patcher.Api.DeleteAsync(ResourceKind.Service, ns, role.Name, "Background", cancellationToken);
            return;
        }

        if (TrafficMarks.RecordedOriginal(live, target) is not { } original)
        {
            return;
        }

        await patcher.PatchAsync(ResourceKind.Service, live, service =>
        {
            if (original["selector"] is JsonObject selector)
            {
                JsonPath.Set(service, "spec.selector", selector.DeepClone());
            }
            else
            {
                (service["spec"] as JsonObject)?.Remove("selector");
            }

            TrafficMarks.Release(service);
        }, cancellationToken);
    }

    private static JsonObject NewService(TrafficTarget target, string name, JsonObject baseService, string hash)
    {
        var selector = OriginalSelector(baseService, target);
        selector[WorkloadMarks.TemplateHashLabel] = hash;
        var ports = new JsonArray();
        foreach (var port in (JsonPath.Get(baseService, "spec.ports") as JsonArray ?? []).OfType<JsonObject>())
        {
            var copy = new JsonObject();
            foreach (var field in (string[])["name", "protocol", "appProtocol", "port", "targetPort"])
            {
                if (port[field] is { } value)
                {
                    copy[field] = value.DeepClone();
                }
            }

            ports.Add(copy);
        }

        var service = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = target.RolloutNamespace },
            ["spec"] = new JsonObject { ["type"] = "ClusterIP", ["selector"] = ToJson(selector), ["ports"] = ports },
        };
        if (JsonPath.Get(baseService, "metadata.labels") is JsonObject labels)
        {
            JsonPath.Set(service, "metadata.labels", labels.DeepClone());
        }

        TrafficMarks.Created(service, target);
        return service;
    }

    /// <summary>The selector the Service had before the rollout pinned it: the recorded one, else the current one without the pin.</summary>
    private static Dictionary<string, string> OriginalSelector(JsonObject service, TrafficTarget target)
    {
        if (TrafficMarks.RecordedOriginal(service, target) is { } original)
        {
            return Map(original["selector"] as JsonObject);
        }

        var selector = Map(JsonPath.Get(service, "spec.selector") as JsonObject);
        if (TrafficMarks.CreatedByRollout(service, target))
        {
            selector.Remove(WorkloadMarks.TemplateHashLabel);
        }

        return selector;
    }

    private static JsonObject RecordSelector(JsonObject service) =>
        new() { ["selector"] = JsonPath.Get(service, "spec.selector")?.DeepClone() };

    private async Task<List<JsonObject>> ReadyPodsAsync(string ns, IReadOnlyDictionary<string, string> selector, CancellationToken cancellationToken)
    {
        var list = await patcher.Api.ListAsync(ResourceKind.Pod, ns, string.Join(',', selector.Select(p => $"{p.Key}={p.Value}")), cancellationToken);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>().Where(Pods.IsReady).ToList();
    }

    private static Dictionary<string, string> Map(JsonObject? selector) =>
        (selector ?? []).Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> selector)
    {
        var result = new JsonObject();
        foreach (var (key, value) in selector.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    private static IEnumerable<Slot> Roles(TrafficTarget target)
    {
        if (target.Routing is { Service: { Length: > 0 } service } routing)
        {
            yield return new Slot(ServiceRole.Stable, service, null, "spec.rolloutPlan.trafficRouting.service");
            yield return new Slot(ServiceRole.Canary, routing.EffectiveCanaryService, ServiceRole.Stable, "spec.rolloutPlan.trafficRouting.canaryService");
        }

        if (target.BlueGreen is { ActiveService: { Length: > 0 } active } blueGreen)
        {
            yield return new Slot(ServiceRole.Active, active, null, "spec.rolloutPlan.blueGreen.activeService");
            yield return new Slot(ServiceRole.Preview, blueGreen.EffectivePreviewService, ServiceRole.Active, "spec.rolloutPlan.blueGreen.previewService");
        }
    }

    /// <param name="Base">The Service a created one takes its ports and selector from; null for the Services clients use.</param>
    private sealed record Slot(ServiceRole Role, string Name, ServiceRole? Base, string Field);
}
