using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;
using static Sluice.Core.Api.BatchRollingState;
using static Sluice.Core.Api.RollingState;

namespace Sluice.Core.Engine;

/// <summary>
/// One decision in the making, shared by the steps (<c>Steps/</c>): the input, the status as it moves, and what the
/// decision will ask for (workload and traffic intents, events, a webhook gate, a time to look again). The helpers
/// here are what every step needs: fire an event through the transition table, fail, wait, keep conditions.
/// </summary>
internal sealed class DecisionContext(RolloutInput input, DateTimeOffset now)
{
    public RolloutInput Input => input;

    public DateTimeOffset Now => now;

    public AppRolloutStatus Status { get; set; } = input.Status ?? new AppRolloutStatus();

    public List<WorkloadIntent> Intents { get; } = [];

    public List<TrafficIntent> TrafficIntents { get; } = [];

    public List<AnalysisIntent> AnalysisIntents { get; } = [];

    public List<RecordedEvent> Events { get; } = [];

    public List<Transition> Transitions { get; } = [];

    public TimeSpan? RequeueAfter { get; private set; }

    public WebhookGate? Gate { get; set; }

    public bool RemoveFinalizer { get; set; }

    public string? WaitingFor { get; private set; }

    public AppRolloutSpec Spec => input.Spec;

    public RolloutPlan Plan => Spec.RolloutPlan ?? new RolloutPlan();

    public WorkloadSnapshot? Workload => input.Workload;

    /// <summary>What the routers send where now; empty when the plan routes no traffic.</summary>
    public TrafficSnapshot Traffic => input.Traffic ?? TrafficSnapshot.Empty;

    public RollingState State => Status.RollingState ?? LocatingTargetApp;

    public RolloutMode Mode =>
        !string.IsNullOrEmpty(Status.LastSourceAppRevision) && Status.LastSourceAppRevision != Status.LastTargetAppRevision
            ? RolloutMode.Upgrade
            : RolloutMode.Scale;

    public RolloutShape Shape => Mode == RolloutMode.Upgrade
        ? RolloutShape.Upgrade(Status.RolloutOriginalSize, Status.RolloutTargetSize)
        : RolloutShape.Scale(Status.RolloutOriginalSize, Status.RolloutTargetSize);

    /// <summary>Two objects (one per revision) moving pods between revisions.</summary>
    public bool TwoObjects => Workload?.Style == WorkloadStyle.TwoObject && Mode == RolloutMode.Upgrade;

    /// <summary>The plan steers traffic (canary, A/B, mirror through routers): only an upgrade has two revisions to steer between.</summary>
    public bool Routed => Plan.TrafficRouting is not null && Mode == RolloutMode.Upgrade;

    /// <summary>Blue/green: the target comes up beside the source (which keeps its size) and takes the active Service in one switch.</summary>
    public bool BlueGreen => Plan.BlueGreen is not null && Mode == RolloutMode.Upgrade;

    /// <summary>The target's pod count grows batch by batch (always when upgrading).</summary>
    public bool Growing => Mode == RolloutMode.Upgrade || Status.RolloutTargetSize >= Status.RolloutOriginalSize;

    public RolloutBatch BatchSpec(PlannedBatch batch) =>
        Plan.RolloutBatches is { } batches && batch.Index < batches.Count ? batches[batch.Index] : new RolloutBatch();

    /// <summary>
    /// The workload was already asked for this batch's target or a later one's. "Later" happens when a reconcile
    /// applied its intents but crashed before writing the status: asking again for this batch would move pods
    /// backwards. Upgrading, a target is a floor: pods already on it (a rollout reverted mid-way) count.
    /// </summary>
    public bool TargetAsked(int target) =>
        Workload?.RequestedTarget is { } requested && (Growing ? requested >= target : requested <= target);

    /// <summary>The source only ever shrinks during a rollout: asked for this batch's size or less.</summary>
    public bool SourceAsked(int sourceLeft) => Workload?.RequestedSource is { } requested && requested <= sourceLeft;

    /// <summary>Adds an intent; with no workload observed (its revisions are gone) there is nothing to drive, so none.</summary>
    public void Emit(WorkloadIntent intent)
    {
        if (Workload is not null)
        {
            Intents.Add(intent);
        }
    }

    /// <summary>Adds a traffic intent, applied after the decision's workload intents.</summary>
    public void Emit(TrafficIntent intent) => TrafficIntents.Add(intent);

    /// <summary>Adds an analysis intent, applied after the decision's traffic intents.</summary>
    public void Emit(AnalysisIntent intent) => AnalysisIntents.Add(intent);

    /// <summary>The current batch's AnalysisRun while it still measures: a rollout that stops waiting for it ends it.</summary>
    public void TerminateRunningAnalysis()
    {
        if (input.Analysis is { } run && run.Status?.Phase is null or AnalysisPhase.Running && run.Spec.Terminate != true && run.Metadata.Name is { } name)
        {
            Emit(new TerminateAnalysis(name));
        }
    }

    /// <summary>Fires <paramref name="event"/> through the transition table; true when the rollout may go on in this decision.</summary>
    public bool Fire(RolloutEvent @event)
    {
        var from = State;
        var outcome = TransitionTable.Fire(from, Status.BatchRollingState, @event);
        if (!outcome.IsLegal)
        {
            Status = Status with { RollingState = RolloutFailed };
            SetCondition(ConditionTypes.Failed, ConditionStatus.True, "IllegalTransition", outcome.IllegalMessage!, restamp: true);
            Events.Add(RecordedEvent.Warn("IllegalTransition", outcome.IllegalMessage!));
            return false;
        }

        Transitions.Add(outcome.Rule!);
        if (outcome.State != from && ConditionTypes.ForState(from) is { } passed && from is not (RolloutSucceed or RolloutFailed)
            && @event is not (RolloutEvent.Failed or RolloutEvent.BatchFailed or RolloutEvent.Modified or RolloutEvent.Deleted))
        {
            // KubeVela's phase conditions: True once the phase is passed (a failure sets it False in Fail).
            SetCondition(passed, ConditionStatus.True, @event.ToString(), outcome.Rule!.Note, restamp: true);
        }

        Status = outcome.Effect switch
        {
            TransitionEffect.Reset => Fresh(),
            TransitionEffect.NextBatch => Status with { CurrentBatch = Status.CurrentBatch + 1 },
            _ => Status,
        };
        Status = Status with { RollingState = outcome.State, BatchRollingState = outcome.Batch };
        if (outcome.State is RollingInBatches && from is Initializing)
        {
            Status = Status with { CurrentBatch = 0 };
        }

        SetCondition(ConditionTypes.Progressing, outcome.State is RolloutSucceed or RolloutFailed ? ConditionStatus.False : ConditionStatus.True,
            StepReason(), StepMessage(), restamp: true);
        return outcome.State is not (RolloutSucceed or RolloutFailed);
    }

    /// <summary>Fails the rollout: a batch's failure or, outside the batch loop, <see cref="RolloutEvent.Failed"/>.</summary>
    public bool Fail(string reason, string message)
    {
        if (ConditionTypes.ForState(State) is { } phase && State is not (RolloutSucceed or RolloutFailed))
        {
            SetCondition(phase, ConditionStatus.False, reason, message, restamp: true);
        }

        SetCondition(ConditionTypes.Failed, ConditionStatus.True, reason, message, restamp: true);
        Events.Add(RecordedEvent.Warn(reason, message));
        return Fire(State == RollingInBatches ? RolloutEvent.BatchFailed : RolloutEvent.Failed);
    }

    /// <summary>Stops this decision: it needs a fresh observation (or an event) to go on.</summary>
    public bool Wait(string what)
    {
        WaitingFor ??= what;
        return false;
    }

    /// <summary>Stops this decision and looks again after <paramref name="after"/> at the latest.</summary>
    public bool WaitFor(string what, TimeSpan after)
    {
        WaitingFor ??= what;
        RequeueAfter = RequeueAfter is { } existing && existing < after ? existing : after;
        return false;
    }

    /// <summary>Waits for a batch to progress, failing it once the progress deadline has passed (not while paused).</summary>
    public bool WaitWithDeadline(PlannedBatch batch, string what)
    {
        if (Plan.Paused != true && DeadlinePassed(out var waited))
        {
            return Fail("ProgressDeadlineExceeded", $"batch {batch.Index + 1} not available within {waited}: {what}");
        }

        return WaitFor(what, RemainingDeadline());
    }

    /// <summary>The progress deadline, measured from when the current step began (the Progressing condition's time).</summary>
    public bool DeadlinePassed(out string waited)
    {
        var seconds = Plan.EffectiveProgressDeadlineSeconds;
        waited = $"{seconds}s (spec.rolloutPlan.progressDeadlineSeconds)";
        return seconds > 0 && StepStarted is { } start && now - start > TimeSpan.FromSeconds(seconds);
    }

    public TimeSpan RemainingDeadline()
    {
        var seconds = Plan.EffectiveProgressDeadlineSeconds;
        var since = StepStarted ?? now;
        if (seconds <= 0)
        {
            return TimeSpan.FromMinutes(5);
        }

        var remaining = since + TimeSpan.FromSeconds(seconds) - now;
        return remaining > TimeSpan.Zero ? remaining + TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(100);
    }

    /// <summary>When the current step began: the Progressing condition is re-stamped at every transition.</summary>
    public DateTimeOffset? StepStarted => Status.Condition(ConditionTypes.Progressing)?.LastTransitionTime;

    /// <summary>
    /// True when the webhooks of <paramref name="type"/> passed (or there are none). Otherwise names the gate for the
    /// controller to call, fails the rollout, or waits to retry, and returns false.
    /// </summary>
    public bool PassGate(WebhookType type, int batch, IReadOnlyList<RolloutWebhook>? planHooks, IReadOnlyList<RolloutWebhook>? batchHooks)
    {
        var hooks = (planHooks ?? []).Concat(batchHooks ?? []).Where(h => h.Type == type).ToArray();
        if (hooks.Length == 0)
        {
            return true;
        }

        var key = WebhookGate.GateKey(type, batch);
        if (!input.Gates.TryGetValue(key, out var result))
        {
            Gate = new WebhookGate(type, batch, State, hooks);
            return false;
        }

        switch (result.Outcome)
        {
            case GateOutcome.Passed:
                SetCondition(ConditionTypes.WebhooksPassed, ConditionStatus.True, "WebhooksPassed", $"{key}: {result.Message}", restamp: false);
                return true;
            case GateOutcome.Failed:
                Fail("WebhookFailed", $"{key}: {result.Message}");
                return false; // the gate did not pass; the next step is the failure's
            default:
                SetCondition(ConditionTypes.WebhooksPassed, ConditionStatus.False, "WebhookPending", $"{key}: {result.Message}", restamp: false, warn: true);
                return WaitFor($"webhook {key}: {result.Message}", RolloutEngine.WebhookRetryInterval);
        }
    }

    public void SetCondition(string type, ConditionStatus value, string reason, string message, bool restamp, bool warn = false)
    {
        var existing = Status.Condition(type);
        if (existing is not null && existing.Status == value && existing.Reason == reason && existing.Message == message)
        {
            return;
        }

        if (warn && (existing?.Reason != reason || existing?.Message != message))
        {
            Events.Add(RecordedEvent.Warn(reason, message));
        }

        var stamp = restamp || existing is null || existing.Status != value ? now : existing.LastTransitionTime;
        var updated = new Condition { Type = type, Status = value, Reason = reason, Message = message, LastTransitionTime = stamp };
        Status = Status with
        {
            Conditions = (Status.Conditions ?? []).Where(c => c.Type != type).Append(updated).ToArray(),
        };
    }

    /// <summary>A status to start (again) from; the attempt counts on from the one before, so AnalysisRuns of an earlier start are never adopted.</summary>
    public AppRolloutStatus Fresh() => new()
    {
        RollingState = LocatingTargetApp,
        Attempt = (Status.Attempt ?? 0) + 1,
        ObservedGeneration = input.Generation,
        Conditions = [new Condition { Type = ConditionTypes.Progressing, Status = ConditionStatus.True, Reason = "LocatingTargetApp", Message = "looking for the revisions", LastTransitionTime = now }],
    };

    public string StepMessage() => State == RollingInBatches
        ? $"batch {Status.CurrentBatch + 1}: {ApiEnumJsonConverter<BatchRollingState>.NameOf(Status.BatchRollingState ?? BatchInitializing)}"
        : ApiEnumJsonConverter<RollingState>.NameOf(State);

    private string StepReason() => State switch
    {
        RollingInBatches => $"Batch{Pascal(ApiEnumJsonConverter<BatchRollingState>.NameOf(Status.BatchRollingState ?? BatchInitializing))[5..]}",
        _ => Pascal(ApiEnumJsonConverter<RollingState>.NameOf(State)),
    };

    private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
