using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sluice.Controllers.Metrics;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Observing;

/// <summary>
/// Watches AppRollouts from outside the reconciler (through the rollout informer's events) for the per-rollout gauges
/// and the rollout duration: a rollout seen to go from under way to its end records how long it took, from when this
/// process saw it start or, when that is earlier (a controller that restarted mid-way), the start its status records
/// (to the second). A rollout already ended when first seen is not measured again.
/// </summary>
public sealed class RolloutObserver(TimeProvider time) : IMetricsSource
{
    private readonly ConcurrentDictionary<ObjectKey, RolloutFacts> rollouts = new();
    private readonly ConcurrentDictionary<ObjectKey, DateTimeOffset> seenStarting = new();

    /// <summary>Feeds the observer from <paramref name="informer"/>'s events (call before it runs).</summary>
    public RolloutObserver Watch(Informer informer)
    {
        informer.Changed += Observe;
        return this;
    }

    public void Observe(InformerEvent change)
    {
        var key = ObjectKey.Of(change.Object);
        if (change.Type == InformerEventType.Deleted)
        {
            rollouts.TryRemove(key, out _);
            seenStarting.TryRemove(key, out _);
            return;
        }

        if (RolloutFacts.Of(change.Object) is not { } facts)
        {
            return;
        }

        var previous = rollouts.TryGetValue(key, out var known) ? known : null;
        rollouts[key] = facts;
        var now = time.GetUtcNow();
        if (!facts.IsTerminal && (previous is null || previous.IsTerminal || previous.State.Length == 0))
        {
            seenStarting[key] = now;
        }

        if (previous is { IsTerminal: false } && facts.Outcome is { } outcome)
        {
            var seen = seenStarting.TryRemove(key, out var at) ? at : now;
            var started = facts.Started is { } recorded && recorded < seen - TimeSpan.FromSeconds(1) ? recorded : seen;
            SluiceMetrics.RolloutEnded(outcome, now - started);
        }
    }

    public IEnumerable<Measurement<long>> RolloutInfo() => rollouts.Values.Select(f => new Measurement<long>(1,
        new("namespace", f.Key.Namespace), new("name", f.Key.Name), new("strategy", f.Strategy), new("router", f.Router),
        new("source", f.Source), new("target", f.Target)));

    public IEnumerable<Measurement<long>> RolloutPhase() => rollouts.Values.Select(f => new Measurement<long>(1,
        new("namespace", f.Key.Namespace), new("name", f.Key.Name), new("state", f.State), new("batch_state", f.BatchState)));

    public IEnumerable<Measurement<long>> RolloutBatch() => rollouts.Values.Select(f => new Measurement<long>(
        f.State is "rollingInBatches" or "finalising" or "rolloutSucceed" || f.BatchState.Length > 0 ? f.CurrentBatch + 1 : 0,
        new("namespace", f.Key.Namespace), new("name", f.Key.Name)));

    public IEnumerable<Measurement<long>> RolloutBatches() => rollouts.Values.Select(f => new Measurement<long>(f.Batches,
        new("namespace", f.Key.Namespace), new("name", f.Key.Name)));
}
