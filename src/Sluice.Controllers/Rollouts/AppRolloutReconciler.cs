using System.Collections.Concurrent;
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

    /// <summary>
    /// A status that differs only in its pod counts is written at most this often: a batch's state changes are
    /// written at once, the counts in between are progress a watcher can wait for (and cost one write each).
    /// </summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private const int MaxGatesPerReconcile = 8;

    private static readonly TimeSpan ConflictRetry = TimeSpan.FromMilliseconds(200);

    private readonly RolloutEngine engine = new(time);

    /// <summary>When this process last wrote each rollout's status (to pace count-only writes; forgotten at the end).</summary>
    private readonly ConcurrentDictionary<ObjectKey, DateTimeOffset> statusWritten = new();

    /// <summary>Reconciles the rollout at <paramref name="key"/>; returns when to look again.</summary>
    public async Task<TimeSpan?> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = await api.GetAsync(ResourceKind.AppRollout, key.Namespace, key.Name, cancellationToken);
        if (stored is null)
        {
            statusWritten.TryRemove(key, out _);
            return null;
        }

        AppRollout rollout;
        try
        {
            rollout = SluiceJson.Deserialize<AppRollout>(stored);
        }
        catch (JsonException e)
        {
            recorder.Record(stored, RecordedEvent.Warn("InvalidSpec", $"{(e.Path ?? "$").TrimStart('$', '.')}: {e.Message}"));
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
        if (decision.Intents.Count > 0)
        {
            logger.LogDebug("{Rollout}: {Intents}", key, string.Join("; ", decision.Intents));
            try
            {
                await resolved.Adapter!.ApplyAsync(resolved.Target!, decision.Intents, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // What we read was behind (another writer, or a cache a moment behind the server). The newer version's
                // watch event brings this rollout back at once; the delay is only a safety net.
                logger.LogDebug("{Rollout}: the workload changed meanwhile ({Error}); reconciling again", key, e.Message);
                return ConflictRetry;
            }
        }

        var (written, deferred) = await WriteStatusAsync(key, stored, decision.Status, cancellationToken);
        if (!written)
        {
            return ConflictRetry;
        }

        foreach (var recorded in decision.Events)
        {
            recorder.Record(stored, recorded);
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

        if (IsTerminal(decision.Status))
        {
            statusWritten.TryRemove(key, out _);
        }

        var after = decision.RequeueAfter ?? (IsTerminal(decision.Status) ? null : Resync);
        return deferred is { } later && (after is null || later < after) ? later : after;
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

    /// <summary>
    /// Writes the status if it changed: Written is false on a conflict (reconcile again); Deferred says when to
    /// look again for a count-only change held back by <see cref="ProgressInterval"/>.
    /// </summary>
    private async Task<(bool Written, TimeSpan? Deferred)> WriteStatusAsync(ObjectKey key, JsonObject stored, AppRolloutStatus status, CancellationToken cancellationToken)
    {
        var next = SluiceJson.ToNode(status);
        if (JsonNode.DeepEquals(stored["status"], next))
        {
            return (true, null);
        }

        var now = time.GetUtcNow();
        if (OnlyCountsDiffer(stored["status"], next) && statusWritten.TryGetValue(key, out var last) && now - last < ProgressInterval)
        {
            return (true, last + ProgressInterval - now);
        }

        var update = stored.DeepClone().AsObject();
        update["status"] = next;
        try
        {
            await api.ReplaceStatusAsync(ResourceKind.AppRollout, JsonPath.String(stored, "metadata.namespace"), update, cancellationToken);
            statusWritten[key] = now;
            return (true, null);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            logger.LogDebug("status of {Name} changed meanwhile; reconciling again", JsonPath.String(stored, "metadata.name"));
            return (false, null);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return (true, null);
        }
    }

    /// <summary>The two statuses differ in upgradedReplicas / upgradedReadyReplicas and nothing else.</summary>
    internal static bool OnlyCountsDiffer(JsonNode? stored, JsonNode next)
    {
        if (stored is not JsonObject previous)
        {
            return false;
        }

        var same = previous.DeepClone().AsObject();
        foreach (var field in (string[])["upgradedReplicas", "upgradedReadyReplicas"])
        {
            if (next[field] is { } value)
            {
                same[field] = value.DeepClone();
            }
            else
            {
                same.Remove(field);
            }
        }

        return JsonNode.DeepEquals(same, next);
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
