using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// NGINX Ingress (<c>trafficRouting.nginx.ingress</c>): a canary Ingress <c>&lt;ingress&gt;-canary</c> beside the primary,
/// created and owned by the rollout and deleted on reset (<see cref="NginxCanary"/>). The primary is changed only to mirror
/// (<c>mirror-target</c>, every request or none); its annotation as found is recorded on it and put back on reset.
/// Matches: one header (exact, prefix or regex) and one cookie (value "always"), as alternatives; no query parameters.
/// </summary>
public sealed class NginxIngressRouter(WorkloadPatcher patcher) : ITrafficRouter
{
    public string Kind => "Ingress";

    public TrafficCapabilities Capabilities { get; } = new()
    {
        Weights = true, HeaderExact = true, HeaderPrefix = true, HeaderRegex = true, Cookie = true, CookieValue = "always",
        QueryParams = false, CombinedConditions = false, MaxHeaders = 1, MaxCookies = 1, Mirror = MirrorSupport.AllOrNothing,
    };

    public async Task<IReadOnlyList<PlanError>> VerifyAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        var errors = new List<PlanError>(TrafficCapabilityCheck.Check(target.Plan, "an NGINX Ingress", Capabilities));
        if (target.Routing?.Nginx?.Ingress is not { Length: > 0 } name)
        {
            return errors;
        }

        const string field = "spec.rolloutPlan.trafficRouting.nginx.ingress";
        var ns = target.RolloutNamespace;
        var primary = await patcher.Api.GetAsync(TrafficKinds.Ingress, ns, name, cancellationToken);
        var canary = await patcher.Api.GetAsync(TrafficKinds.Ingress, ns, NginxCanary.Name(name), cancellationToken);
        if (primary is null)
        {
            errors.Add(new PlanError(field, $"{field}: Not found: Ingress \"{name}\" in namespace \"{ns}\""));
        }
        else if ((TrafficMarks.HeldByAnother(primary, target) ?? TrafficMarks.HeldByAnother(canary, target)) is { } other)
        {
            errors.Add(new PlanError(field, $"{field}: Forbidden: Ingress \"{name}\" is held by rollout {other}; it must finish or be deleted first"));
        }
        else if (!NginxCanary.Targets(primary, target.Routing.Service ?? ""))
        {
            errors.Add(new PlanError(field, $"{field}: Invalid value: \"{name}\": no path of the Ingress has Service \"{target.Routing.Service}\" as its backend"));
        }
        else if (canary is not null && !TrafficMarks.CreatedByRollout(canary, target))
        {
            errors.Add(new PlanError(field, $"{field}: Invalid value: \"{name}\": Ingress \"{NginxCanary.Name(name)}\" already exists and was not created by this rollout; the rollout needs that name for its canary Ingress"));
        }

        return errors;
    }

    public async Task<TrafficSnapshot> ObserveAsync(TrafficTarget target, CancellationToken cancellationToken)
    {
        if (target.Routing?.Nginx?.Ingress is not { Length: > 0 } name)
        {
            return TrafficSnapshot.Empty;
        }

        var ns = target.RolloutNamespace;
        var primary = await patcher.Api.GetAsync(TrafficKinds.Ingress, ns, name, cancellationToken);
        if (primary is null)
        {
            return new TrafficSnapshot { Routes = [new RouteSnapshot(Kind, name)] };
        }

        var canary = await patcher.Api.GetAsync(TrafficKinds.Ingress, ns, NginxCanary.Name(name), cancellationToken);
        var ours = canary is not null && TrafficMarks.CreatedByRollout(canary, target);
        var applied = ours ? TrafficMarks.ReadApplied(canary) : null;
        var desired = applied is null ? null : Desired(target, primary, applied);
        var inSync = desired is not null && JsonNode.DeepEquals(desired["spec"], canary!["spec"])
            && JsonNode.DeepEquals(desired["metadata"]?["annotations"], JsonPath.Get(canary, "metadata.annotations"));
        var mirrorUrl = NginxCanary.MirrorUrl(primary, target.Routing.Service!, target.Routing.EffectiveCanaryService, ns);
        return new TrafficSnapshot
        {
            Routes =
            [
                new RouteSnapshot(Kind, name)
                {
                    Exists = true,
                    Weight = ours ? NginxCanary.ReadWeight(canary) : 0,
                    Matches = inSync ? applied!.Matches : [],
                    Mirror = JsonPath.Annotation(primary, NginxCanary.MirrorTarget) == mirrorUrl ? 100 : 0,
                    OriginalRecorded = ours || TrafficMarks.RecordedOriginal(primary, target) is not null,
                },
            ],
        };
    }

    /// <summary>One write of the canary Ingress and at most one of the primary per decision.</summary>
    public async Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, CancellationToken cancellationToken)
    {
        var last = intents.LastOrDefault(i => i is RouteTraffic or ResetTraffic);
        if (last is null || target.Routing?.Nginx?.Ingress is not { Length: > 0 } name)
        {
            return;
        }

        var ns = target.RolloutNamespace;
        var primary = await patcher.Api.GetAsync(TrafficKinds.Ingress, ns, name, cancellationToken);
        var canaryName = NginxCanary.Name(name);
        var canary = await patcher.Api.GetAsync(TrafficKinds.Ingress, ns, canaryName, cancellationToken);
        if (canary is not null && !TrafficMarks.CreatedByRollout(canary, target))
        {
            throw new InvalidOperationException($"Ingress {ns}/{canaryName} exists and was not created by this rollout");
        }

        if (last is RouteTraffic traffic)
        {
            if (primary is null)
            {
                throw new InvalidOperationException($"Ingress {ns}/{name} not found: traffic cannot be routed through it");
            }

            var desired = Desired(target, primary, traffic);
            if (canary is null)
            {
                await patcher.Api.CreateAsync(TrafficKinds.Ingress, ns, desired, cancellationToken);
            }
            else
            {
                await patcher.PatchAsync(TrafficKinds.Ingress, canary, obj =>
                {
                    obj["spec"] = desired["spec"]!.DeepClone();
                    JsonPath.Set(obj, "metadata.annotations", desired["metadata"]!["annotations"]!.DeepClone());
                    JsonPath.Set(obj, "metadata.ownerReferences", desired["metadata"]!["ownerReferences"]!.DeepClone());
                }, cancellationToken);
            }

            await MirrorAsync(target, primary, traffic.Mirror == 100, cancellationToken);
            return;
        }

        // Reset: the canary Ingress goes first (requests to it must stop before its Service does), then the primary's mirror.
        if (canary is not null)
        {
            await patcher.Api.DeleteAsync(TrafficKinds.Ingress, ns, canaryName, "Background", cancellationToken);
        }

        if (primary is not null)
        {
            await MirrorAsync(target, primary, false, cancellationToken);
        }
    }

    private async Task MirrorAsync(TrafficTarget target, JsonObject primary, bool mirror, CancellationToken cancellationToken)
    {
        if (!mirror && TrafficMarks.RecordedOriginal(primary, target) is null)
        {
            return;
        }

        var url = NginxCanary.MirrorUrl(primary, target.Routing!.Service!, target.Routing.EffectiveCanaryService, target.RolloutNamespace);
        await patcher.PatchAsync(TrafficKinds.Ingress, primary, obj =>
        {
            if (mirror)
            {
                TrafficMarks.Hold(obj, target, o => new JsonObject { [NginxCanary.MirrorTarget] = JsonPath.Annotation(o, NginxCanary.MirrorTarget) });
                WorkloadMarks.SetMapEntry(obj, "metadata.annotations", NginxCanary.MirrorTarget, url);
                return;
            }

            var original = TrafficMarks.RecordedOriginal(obj, target)!;
            WorkloadMarks.SetMapEntry(obj, "metadata.annotations", NginxCanary.MirrorTarget, original[NginxCanary.MirrorTarget]?.GetValue<string>());
            TrafficMarks.Release(obj);
        }, cancellationToken);
    }

    private static JsonObject Desired(TrafficTarget target, JsonObject primary, RouteTraffic traffic)
    {
        var desired = NginxCanary.Render(primary, traffic, target.Routing!.Service!, target.Routing.EffectiveCanaryService);
        TrafficMarks.Created(desired, target);
        TrafficMarks.SetApplied(desired, traffic);
        return desired;
    }
}
