using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Operations;

namespace Sluice.Controllers.Operations;

/// <summary>
/// A rollout's traffic as its routers observe it, read-only, for <c>sluice rollout watch</c>, <c>describe</c> and the
/// dashboard: the very <see cref="TrafficRouters"/> the controller steers with, asked only to observe (through the API,
/// or through a watch cache with <see cref="ReaderKubeApi"/>), plus the live share from a data plane when there is one.
/// </summary>
public static class RolloutTraffic
{
    /// <summary>The plan routes traffic (a canary's trafficRouting, or blue/green): there is something to show.</summary>
    public static bool Applies(AppRollout rollout) =>
        rollout.Spec.RolloutPlan is { } plan && (plan.TrafficRouting is not null || plan.BlueGreen is not null);

    /// <summary>The Service clients use: trafficRouting.service, else blueGreen.activeService.</summary>
    public static string? ClientService(AppRollout rollout) =>
        rollout.Spec.RolloutPlan?.TrafficRouting?.Service is { Length: > 0 } service ? service
            : rollout.Spec.RolloutPlan?.BlueGreen?.ActiveService is { Length: > 0 } active ? active
            : null;

    /// <summary>What a watch cache must hold in the rollout's namespace to observe its routers: Services, pods and the route kinds the plan names.</summary>
    public static IReadOnlyList<ResourceKind> Kinds(AppRollout rollout)
    {
        if (!Applies(rollout))
        {
            return [];
        }

        var routing = rollout.Spec.RolloutPlan!.TrafficRouting;
        var kinds = new List<ResourceKind> { ResourceKind.Service, ResourceKind.Pod };
        if (routing?.GatewayApi?.HttpRoutes is { Count: > 0 })
        {
            kinds.Add(TrafficKinds.HttpRoute);
        }

        if (routing?.Istio?.VirtualServices is { Count: > 0 })
        {
            kinds.Add(TrafficKinds.VirtualService);
        }

        if (routing?.Nginx?.Ingress is { Length: > 0 })
        {
            kinds.Add(TrafficKinds.Ingress);
        }

        return kinds;
    }

    /// <summary>
    /// The picture, or null when the plan routes no traffic. <paramref name="live"/> is the data plane (null on a real
    /// cluster: nothing is said about live shares). API errors are reported in <see cref="TrafficPicture.Problem"/>.
    /// </summary>
    public static async Task<TrafficPicture?> ObserveAsync(IKubeApi api, AppRollout rollout, ILiveTraffic? live, CancellationToken cancellationToken)
    {
        if (!Applies(rollout) || ClientService(rollout) is not { } service)
        {
            return null;
        }

        var ns = rollout.Metadata.Namespace ?? "default";
        var target = new TrafficTarget(ns, rollout.Metadata.Name ?? "", rollout.Metadata.Uid ?? "", rollout.Spec.RolloutPlan!);
        TrafficSnapshot observed;
        Dictionary<string, string> revisions;
        try
        {
            observed = await new TrafficRouters(new WorkloadPatcher(api)).ObserveAsync(target, cancellationToken);
            var pods = await api.ListAsync(ResourceKind.Pod, ns, WorkloadMarks.TemplateHashLabel, cancellationToken);
            revisions = Revisions(pods["items"] as JsonArray ?? [], rollout);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            return new TrafficPicture(TrafficSnapshot.Empty, new Dictionary<string, string>(), live is not null, null, service, $"the routers could not be read: {e.Message}");
        }

        LiveShare? share = null;
        string? problem = null;
        if (live is not null)
        {
            try
            {
                share = await live.ReadAsync(ns, service, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problem = $"the data plane's traffic counts could not be read: {e.Message}";
            }
        }

        return new TrafficPicture(observed, revisions, live is not null, share, service, problem);
    }

    /// <summary>Template hash to revision, from the pods' labels (<c>rollout.sluice.dev/template-hash</c>, <c>/revision</c>) and the status's target hash.</summary>
    internal static Dictionary<string, string> Revisions(IEnumerable<JsonNode?> pods, AppRollout rollout)
    {
        var revisions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var labels in pods.Select(p => p?["metadata"]?["labels"] as JsonObject).OfType<JsonObject>())
        {
            if (labels[WorkloadMarks.TemplateHashLabel] is JsonValue hash && labels[WorkloadMarks.RevisionLabel] is JsonValue revision)
            {
                revisions.TryAdd(hash.GetValue<string>(), revision.GetValue<string>());
            }
        }

        if (rollout.Status?.TargetGeneration is { Length: > 0 } targetHash && rollout.Spec.TargetAppRevisionName is { Length: > 0 } targetName)
        {
            revisions[targetHash] = targetName;
        }

        return revisions;
    }
}
