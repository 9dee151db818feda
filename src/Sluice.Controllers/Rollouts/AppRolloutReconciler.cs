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
    ILogger logger,
    ITrafficRouter? traffic = null,
    RolloutAnalysis? analysis = null,
    RolloutFollower? follower = null)
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

    /// <summary>
    /// After traffic intents: the routers read the objects from the server (no informer watches routes), so the next
    /// step looks again this soon rather than waiting for a watch event that will not come.
    /// </summary>
    private static readonly TimeSpan AfterTrafficWrite = TimeSpan.FromMilliseconds(100);

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

        if (!deleting && follower is not null && rollout.Spec.Follow?.Application is { Length: > 0 })
        {
            // A following rollout is pointed at its Application's newest revision first; the engine sees a changed spec.
            RolloutFollower.Outcome followed;
            try
            {
                followed = await follower.SyncAsync(rollout, stored, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                logger.LogDebug("{Rollout}: changed meanwhile while following ({Error}); reconciling again", key, e.Message);
                return ConflictRetry;
            }

            foreach (var recorded in followed.Events)
            {
                recorder.Record(stored, recorded);
            }

            if (followed.SpecChanged)
            {
                // Its watch event brings the rollout back on the new spec; the delay is only a safety net.
                return ConflictRetry;
            }
        }

        var resolved = await resolver.ResolveAsync(rollout, cancellationToken);
        var workload = resolved is { Target: { } target, Adapter: { } adapter }
            ? await adapter.ObserveAsync(target, cancellationToken)
            : null;
        var routes = Routes(rollout, resolved);
        var revisions = resolved.Revisions;
        TrafficSnapshot? trafficNow = null;
        if (routes is not null)
        {
            if (MayVerify(rollout))
            {
                // Only while verifying: what the routers find wrong fails the rollout before anything is touched.
                var problems = await traffic!.VerifyAsync(routes, cancellationToken);
                revisions = revisions with { TrafficProblem = problems.Count == 0 ? null : string.Join("; ", problems.Select(p => p.Message)) };
            }

            trafficNow = await traffic!.ObserveAsync(routes, cancellationToken);
        }

        string? analysisProblem = null;
        AnalysisRun? run = null;
        if (analysis is not null && RolloutAnalysis.Uses(rollout.Spec.RolloutPlan))
        {
            if (MayVerify(rollout))
            {
                analysisProblem = await analysis.VerifyAsync(rollout, cancellationToken);
            }

            run = await analysis.CurrentAsync(rollout, cancellationToken);
        }

        var input = new RolloutInput
        {
            Spec = rollout.Spec,
            Name = rollout.Metadata.Name ?? string.Empty,
            Analysis = run,
            AnalysisProblem = analysisProblem,
            Status = rollout.Status,
            Generation = rollout.Metadata.Generation ?? 0,
            Deleting = deleting,
            AbortRequested = rollout.Metadata.Annotation(AppRollout.AbortAnnotation) == "true",
            PromotedBatch = AppRollout.PromotedBatch(rollout.Metadata.Annotation(AppRollout.PromoteAnnotation), rollout.Status?.Attempt),
            Revisions = revisions,
            Workload = workload,
            Traffic = trafficNow,
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

        if (decision.TrafficIntents.Count > 0)
        {
            logger.LogDebug("{Rollout}: {Intents}", key, string.Join("; ", decision.TrafficIntents));
            try
            {
                await traffic!.ApplyAsync(routes!, decision.TrafficIntents, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                logger.LogDebug("{Rollout}: a route or Service changed meanwhile ({Error}); reconciling again", key, e.Message);
                return ConflictRetry;
            }
        }

        if (decision.AnalysisIntents.Count > 0)
        {
            logger.LogDebug("{Rollout}: {Intents}", key, string.Join("; ", decision.AnalysisIntents));
            await analysis!.ApplyAsync(rollout, resolved, decision.AnalysisIntents, cancellationToken);
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
        if ((decision.TrafficIntents.Count > 0 || decision.AnalysisIntents.Any(i => i is StartAnalysis)) && (after is null || after > AfterTrafficWrite))
        {
            after = AfterTrafficWrite;
        }

        return deferred is { } later && (after is null || later < after) ? later : after;
    }

    /// <summary>
    /// The engine may reach verifyingSpec in this decision: the rollout has not got past it, or its spec names other
    /// revisions than its status (it starts over), or it has ended (a change restarts it).
    /// </summary>
    private static bool MayVerify(AppRollout rollout) =>
        rollout.Status?.RollingState is null or RollingState.LocatingTargetApp or RollingState.VerifyingSpec or RollingState.RolloutSucceed or RollingState.RolloutFailed
        || rollout.Status.LastTargetAppRevision != rollout.Spec.TargetAppRevisionName
        || (rollout.Status.LastSourceAppRevision ?? string.Empty) != (rollout.Spec.SourceAppRevisionName ?? string.Empty);

    /// <summary>What the routers need, when the plan routes traffic (canary or blue/green) and the revisions are known.</summary>
    private TrafficTarget? Routes(AppRollout rollout, ResolvedRollout resolved) =>
        traffic is not null && rollout.Spec.RolloutPlan is { } plan && (plan.TrafficRouting is not null || plan.BlueGreen is not null) && resolved.Target is { } target
            ? new TrafficTarget(rollout.Metadata.Namespace ?? "default", rollout.Metadata.Name ?? string.Empty, rollout.Metadata.Uid ?? string.Empty, plan,
                target.Source?.TemplateHash, target.Target.TemplateHash)
            : null;

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
