using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Core.Tests.Engine;

/// <summary>Drives the engine against a <see cref="FakeWorkload"/> as a controller would: observe, decide, apply, write status.</summary>
internal sealed class RolloutHarness
{
    public RolloutHarness(AppRolloutSpec spec, FakeWorkload workload, RevisionObservation revisions)
    {
        Spec = spec;
        Workload = workload;
        Revisions = revisions;
        Engine = new RolloutEngine(Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public RolloutEngine Engine { get; }

    public AppRolloutSpec Spec { get; set; }

    public FakeWorkload Workload { get; }

    public RevisionObservation Revisions { get; set; }

    public AppRolloutStatus? Status { get; set; }

    public bool Deleting { get; set; }

    /// <summary>The routers, when the test routes traffic.</summary>
    public FakeTraffic? Traffic { get; set; }

    public int? PromotedBatch { get; set; }

    /// <summary>The AnalysisRun the reconciler would read for the status's current run (null: none exists).</summary>
    public Func<string, AnalysisRun?> Analysis { get; set; } = _ => null;

    public string? AnalysisProblem { get; set; }

    public bool AbortRequested { get; set; }

    public long Generation { get; set; } = 1;

    public Func<WebhookGate, GateResult> Webhooks { get; set; } = _ => GateResult.Passed();

    public List<RolloutDecision> Decisions { get; } = [];

    public List<RecordedEvent> Events { get; } = [];

    /// <summary>States as (rollingState, batchRollingState, currentBatch) after every decision.</summary>
    public List<string> Trail { get; } = [];

    public bool FinalizerRemoved { get; private set; }

    public RollingState? State => Status?.RollingState;

    public RolloutDecision Reconcile(bool settle = true)
    {
        var gates = new Dictionary<string, GateResult>();
        RolloutDecision decision;
        while (true)
        {
            decision = Engine.Decide(Input(gates));
            if (decision.Gate is null || gates.ContainsKey(decision.Gate.Key))
            {
                break;
            }

            gates[decision.Gate.Key] = Webhooks(decision.Gate);
        }

        foreach (var intent in decision.Intents)
        {
            Workload.Apply(intent);
        }

        foreach (var intent in decision.TrafficIntents)
        {
            (Traffic ?? throw new InvalidOperationException($"traffic intent {intent} without routers")).Apply(intent);
        }

        Status = decision.Status;
        FinalizerRemoved |= decision.RemoveFinalizer;
        Decisions.Add(decision);
        Events.AddRange(decision.Events);
        Trail.Add($"{Name(Status.RollingState)}/{Name(Status.BatchRollingState)}/{Status.CurrentBatch}");
        if (settle)
        {
            Workload.Settle();
        }

        return decision;
    }

    public RolloutInput Input(IReadOnlyDictionary<string, GateResult>? gates = null) => new()
    {
        Spec = Spec,
        Status = Status,
        Generation = Generation,
        Deleting = Deleting,
        AbortRequested = AbortRequested,
        Revisions = Revisions,
        Workload = Workload.Snapshot(),
        Traffic = Traffic?.Snapshot(),
        PromotedBatch = PromotedBatch,
        Name = "r",
        Analysis = Status?.AnalysisRun is { } run ? Analysis(run) : null,
        AnalysisProblem = AnalysisProblem,
        Gates = gates ?? new Dictionary<string, GateResult>(),
    };

    /// <summary>Reconciles until the rollout is terminal or nothing changes; fails the test if it never settles.</summary>
    public void RunToEnd(int maxReconciles = 100)
    {
        for (var i = 0; i < maxReconciles; i++)
        {
            var before = Status;
            Reconcile();
            if (State is RollingState.RolloutSucceed or RollingState.RolloutFailed || FinalizerRemoved)
            {
                return;
            }

            if (before is not null && Decisions[^1].Intents.Count == 0 && Same(before, Status!))
            {
                return;
            }
        }

        throw new InvalidOperationException($"no end after {maxReconciles} reconciles: {string.Join(" -> ", Trail)}");
    }

    /// <summary>The SetTarget values applied, in order, without repeats of the same value in a row.</summary>
    public IReadOnlyList<int> TargetsApplied() =>
        Workload.Applied.OfType<SetTarget>().Select(t => t.Pods).ToList();

    public static string Name<T>(T? value)
        where T : struct, Enum => value is null ? "-" : ApiEnumJsonConverter<T>.NameOf(value.Value);

    private static bool Same(AppRolloutStatus a, AppRolloutStatus b) =>
        a.RollingState == b.RollingState && a.BatchRollingState == b.BatchRollingState && a.CurrentBatch == b.CurrentBatch
        && a.UpgradedReplicas == b.UpgradedReplicas && a.UpgradedReadyReplicas == b.UpgradedReadyReplicas;
}
