using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// One reconcile of one AppRollout: read it, hold the finalizer, locate its revisions, observe the workload,
/// let the engine decide (calling webhooks at its gates), apply the intents in order, write the status once,
/// record the events. A 409 on the status means someone else wrote: read again and recompute, never overwrite.
/// An API error is never a rollout failure: it propagates and the work queue retries with backoff.
/// </summary>
public sealed class AppRolloutReconciler(
    IKubeApi api,
    RevisionResolver resolver,
    WebhookRunner webhooks,
    EventRecorder recorder,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>How often a rollout waiting on nothing in particular is looked at anyway (the safety net).</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromMinutes(5);

    private const int MaxGatesPerReconcile = 8;

    private readonly RolloutEngine engine = new(time);

    /// <summary>Reconciles the rollout at <paramref name="key"/>; returns when to look again.</summary>
    public async Task<TimeSpan?> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = await api.GetAsync(ResourceKind.AppRollout, key.Namespace, key.Name, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        AppRollout rollout;
        try
        {
            rollout = SluiceJson.Deserialize<AppRollout>(stored);
        }
        catch (JsonException e)
        {
            await recorder.RecordAsync(stored, RecordedEvent.Warn("InvalidSpec", $"{(e.Path ?? "$").TrimStart('$', '.')}: {e.Message}"), cancellationToken);
            return null;
        }

        var deleting = rollout.Metadata.DeletionTimestamp is not null;
        var finalizers = rollout.Metadata.Finalizers ?? [];
        if (deleting && !finalizers.Contains(AppRollout.Finalizer))
        {
            return null;
        }

        if (!deleting && !finalizers.Contains(AppRollout.Finalizer))
        {
            stored = await SetFinalizersAsync(stored, [.. finalizers, AppRollout.Finalizer], cancellationToken);
        }

        var resolved = await resolver.ResolveAsync(rollout, cancellationToken);
        var workload = resolved is { Target: { } target, Adapter: { } adapter }
            ? await adapter.ObserveAsync(target, cancellationToken)
            : null;
        var input = new RolloutInput
        {
            Spec = rollout.Spec,
            Status = rollout.Status,
            Generation = rollout.Metadata.Generation ?? 0,
            Deleting = deleting,
            AbortRequested = rollout.Metadata.Annotation(AppRollout.AbortAnnotation) == "true",
            Revisions = resolved.Revisions,
            Workload = workload,
        };

        var decision = await DecideAsync(input, rollout, cancellationToken);
        foreach (var intent in decision.Intents)
        {
            logger.LogDebug("{Rollout}: {Intent}", key, intent);
            await resolved.Adapter!.ApplyAsync(resolved.Target!, intent, cancellationToken);
        }

        if (!await WriteStatusAsync(stored, decision.Status, cancellationToken))
        {
            return TimeSpan.Zero;
        }

        foreach (var recorded in decision.Events)
        {
            await recorder.RecordAsync(stored, recorded, cancellationToken);
        }

        if (decision.RemoveFinalizer)
        {
            var latest = await api.GetAsync(ResourceKind.AppRollout, key.Namespace, key.Name, cancellationToken);
            if (latest is not null)
            {
                var remaining = (latest["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => f!.GetValue<string>()).Where(f => f != AppRollout.Finalizer).ToList();
                await SetFinalizersAsync(latest, remaining, cancellationToken);
            }

            return null;
        }

        return decision.RequeueAfter ?? (IsTerminal(decision.Status) ? null : Resync);
    }

    private async Task<RolloutDecision> DecideAsync(RolloutInput input, AppRollout rollout, CancellationToken cancellationToken)
    {
        var gates = new Dictionary<string, GateResult>();
        var decision = engine.Decide(input);
        for (var i = 0; i < MaxGatesPerReconcile && decision.Gate is { } gate && !gates.ContainsKey(gate.Key); i++)
        {
            gates[gate.Key] = await webhooks.RunAsync(gate, rollout, cancellationToken);
            decision = engine.Decide(input with { Gates = gates });
        }

        return decision;
    }

    /// <summary>Writes the status if it changed; false on a conflict (the caller reconciles again at once).</summary>
    private async Task<bool> WriteStatusAsync(JsonObject stored, AppRolloutStatus status, CancellationToken cancellationToken)
    {
        var next = SluiceJson.ToNode(status);
        if (JsonNode.DeepEquals(stored["status"], next))
        {
            return true;
        }

        var update = stored.DeepClone().AsObject();
        update["status"] = next;
        try
        {
            await api.ReplaceStatusAsync(ResourceKind.AppRollout, JsonPath.String(stored, "metadata.namespace"), update, cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            logger.LogDebug("status of {Name} changed meanwhile; reconciling again", JsonPath.String(stored, "metadata.name"));
            return false;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return true;
        }
    }

    private async Task<JsonObject> SetFinalizersAsync(JsonObject stored, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
                ["resourceVersion"] = JsonPath.String(stored, "metadata.resourceVersion"),
            },
        };
        return await api.MergePatchAsync(ResourceKind.AppRollout, JsonPath.String(stored, "metadata.namespace"), JsonPath.String(stored, "metadata.name")!, patch, null, cancellationToken);
    }

    private static bool IsTerminal(AppRolloutStatus status) => status.RollingState is RollingState.RolloutSucceed or RollingState.RolloutFailed;
}
