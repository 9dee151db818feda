using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;
using static Sluice.Core.Api.BatchRollingState;
using static Sluice.Core.Api.RollingState;

namespace Sluice.Core.Engine;

/// <summary>One decision in the making: walks the state machine from the stored status as far as it can go without waiting.</summary>
internal sealed class DecisionBuilder(RolloutInput input, DateTimeOffset now)
{
    private readonly List<WorkloadIntent> intents = [];
    private readonly List<RecordedEvent> events = [];
    private readonly List<Transition> transitions = [];
    private AppRolloutStatus status = input.Status ?? new AppRolloutStatus();
    private TimeSpan? requeueAfter;
    private WebhookGate? gate;
    private bool removeFinalizer;
    private string? waitingFor;

    private AppRolloutSpec Spec => input.Spec;

    private RolloutPlan PlanSpec => Spec.RolloutPlan ?? new RolloutPlan();

    private WorkloadSnapshot? Workload => input.Workload;

    private RollingState State => status.RollingState ?? LocatingTargetApp;

    private RolloutMode Mode =>
        !string.IsNullOrEmpty(status.LastSourceAppRevision) && status.LastSourceAppRevision != status.LastTargetAppRevision
            ? RolloutMode.Upgrade
            : RolloutMode.Scale;

    private RolloutShape Shape => Mode == RolloutMode.Upgrade
        ? RolloutShape.Upgrade(status.RolloutOriginalSize, status.RolloutTargetSize)
        : RolloutShape.Scale(status.RolloutOriginalSize, status.RolloutTargetSize);

    public void Run()
    {
        if (status.RollingState is null)
        {
            status = Fresh();
        }

        status = status with { ObservedGeneration = input.Generation };
        NoteCanaryMetrics();

        if (input.Deleting)
        {
            if (State is RolloutSucceed or RolloutFailed)
            {
                removeFinalizer = true;
                return;
            }

            if (State != RolloutDeleting)
            {
                Fire(RolloutEvent.Deleted);
            }
        }
        else if (IsModified())
        {
            Fire(RolloutEvent.Modified);
        }
        else if (input.AbortRequested && State is LocatingTargetApp or VerifyingSpec or Initializing or RollingInBatches or Finalising)
        {
            // Through the ordinary failure path: rolloutFailing applies onFailure (Rollback by default) before rolloutFailed.
            Fail("Aborted", $"aborted by the {AppRollout.AbortAnnotation} annotation in {StepMessage()}");
        }

        for (var steps = 0; steps < RolloutEngine.MaxStepsPerDecision && gate is null; steps++)
        {
            if (!Step())
            {
                break;
            }
        }

        RecordCounts();
    }

    public RolloutDecision Build() => new()
    {
        Status = status,
        Intents = gate is null ? intents : [],
        Events = events,
        Transitions = transitions,
        RequeueAfter = requeueAfter,
        Gate = gate,
        RemoveFinalizer = removeFinalizer,
        WaitingFor = waitingFor,
    };

    /// <summary>Takes the next step of the current state; true when it moved and the next state may go on.</summary>
    private bool Step() => State switch
    {
        LocatingTargetApp => Locate(),
        VerifyingSpec => Verify(),
        Initializing => Initialize(),
        RollingInBatches => RollBatches(),
        Finalising => FinalizeSuccess(),
        RolloutFailing => FinalizeFailure(),
        RolloutDeleting => FinalizeDeletion(),
        RolloutAbandoning => Abandon(),
        _ => false,
    };

    private bool Locate()
    {
        var revisions = input.Revisions;
        if (string.IsNullOrEmpty(Spec.TargetAppRevisionName))
        {
            return Fail("MissingTarget", "spec.targetAppRevisionName: Required value: the revision to roll out to");
        }

        if (revisions is null)
        {
            return Wait("the target revision to be looked up");
        }

        if (revisions.Problem is not null)
        {
            SetCondition(ConditionTypes.Progressing, ConditionStatus.True, revisions.ProblemReason ?? "Locating", revisions.Problem, restamp: false, warn: true);
            if (DeadlinePassed(out var waited))
            {
                return Fail(revisions.ProblemReason ?? "LocateFailed", $"{revisions.Problem} (gave up after {waited})");
            }

            WaitFor(revisions.Problem, RemainingDeadline());
            return false;
        }

        status = status with
        {
            LastTargetAppRevision = Spec.TargetAppRevisionName,
            LastSourceAppRevision = Spec.SourceAppRevisionName ?? string.Empty,
            RolloutOriginalSize = revisions.OriginalSize,
            RolloutTargetSize = revisions.TargetSize,
            TargetGeneration = revisions.TargetGeneration,
        };
        return Fire(RolloutEvent.AppLocated);
    }

    private bool Verify()
    {
        if (Spec.RolloutPlan is null)
        {
            return Fail("InvalidPlan", "spec.rolloutPlan: Required value");
        }

        // A revision or workload that cannot work comes first: the plan's sizes mean nothing without it.
        if (input.Revisions?.WorkloadProblem is { } problem)
        {
            return Fail("WorkloadNotReady", problem);
        }

        var plan = PlanCalculator.Calculate(PlanSpec, Shape with { Origin = input.Revisions?.SizeOrigin });
        if (!plan.IsValid)
        {
            return Fail("InvalidPlan", plan.Error.Message);
        }

        return Fire(RolloutEvent.SpecVerified);
    }

    private bool Initialize()
    {
        if (!PassGate(WebhookType.InitializeRollout, 0, PlanSpec.RolloutWebhooks, null))
        {
            return false;
        }

        if (Workload is null)
        {
            return Wait("the workload to be observed");
        }

        // A release earlier in this decision (abandoning the previous target) undoes any take-over the snapshot shows.
        if (!Workload.Prepared || intents.OfType<ReleaseWorkload>().Any())
        {
            Emit(new PrepareWorkload(Mode, status.RolloutOriginalSize, status.RolloutTargetSize));
        }

        return Fire(RolloutEvent.Initialized);
    }

    private bool RollBatches()
    {
        var result = PlanCalculator.Calculate(PlanSpec, Shape);
        if (!result.IsValid)
        {
            return Fail("InvalidPlan", $"the plan changed and is no longer valid: {result.Error.Message}");
        }

        var plan = result.Plan;
        if (status.CurrentBatch >= plan.Count)
        {
            // Every batch of the shorter plan but its last is behind us; its last lands on the total, whatever was rolled.
            events.Add(RecordedEvent.Normal("PlanShortened",
                $"the plan now has {plan.Count} batches and the rollout was at batch {status.CurrentBatch + 1}: going on with its last batch"));
            status = status with { CurrentBatch = plan.Count - 1 };
            return Fire(RolloutEvent.PlanShortened);
        }

        if (!HonourPause())
        {
            return false;
        }

        if (PlanSpec.BatchPartition is { } partition && partition < status.CurrentBatch && !plan.IsLast(status.CurrentBatch))
        {
            return Fail("PartitionLowered",
                $"spec.rolloutPlan.batchPartition was lowered to {partition}, below the current batch index {status.CurrentBatch}; batches already rolled cannot be taken back");
        }

        if (Workload is null)
        {
            return Wait("the workload to be observed");
        }

        var batch = plan[status.CurrentBatch];
        return status.BatchRollingState switch
        {
            BatchInitializing => PassGate(WebhookType.PreBatchRollout, batch.Index, PlanSpec.RolloutWebhooks, Batch(batch).BatchRolloutWebhooks)
                && Fire(RolloutEvent.BatchInitialized),
            BatchInRolling => RollOut(plan, batch),
            BatchVerifying => VerifyBatch(plan, batch),
            BatchFinalizing => FinalizeBatch(plan, batch),
            BatchReady => Approve(plan),
            _ => Fail("IllegalState", $"batch state {status.BatchRollingState} cannot go on"),
        };
    }

    private bool RollOut(BatchPlan plan, PlannedBatch batch)
    {
        var workload = Workload!;
        if (TwoObjects && PlanSpec.EffectiveStrategy == RolloutStrategy.DecreaseFirst)
        {
            var sourceLeft = batch.SourceLeft!.Value;
            if (!SourceAsked(workload, sourceLeft))
            {
                Emit(new SetSource(sourceLeft));
                return Wait($"the source to scale down to {sourceLeft} pods");
            }

            if (!workload.Settled || workload.SourcePods > sourceLeft)
            {
                return WaitWithDeadline(batch, $"the source to scale down to {sourceLeft} pods ({workload.SourcePods} left)");
            }
        }

        if (!TargetAsked(workload, batch.Target))
        {
            Emit(new SetTarget(batch.Target));
        }

        return Fire(RolloutEvent.BatchRolledOut);
    }

    /// <summary>
    /// The workload was already asked for this batch's target or a later one's. "Later" happens when a
    /// reconcile applied its intents but crashed before writing the status: asking again for this batch
    /// would move pods backwards.
    /// </summary>
    private bool TargetAsked(WorkloadSnapshot workload, int target) =>
        workload.RequestedTarget is { } requested && (Growing ? requested >= target : requested <= target);

    /// <summary>The source only ever shrinks during a rollout: asked for this batch's size or less.</summary>
    private static bool SourceAsked(WorkloadSnapshot workload, int sourceLeft) =>
        workload.RequestedSource is { } requested && requested <= sourceLeft;

    private bool Growing => Mode == RolloutMode.Upgrade || status.RolloutTargetSize >= status.RolloutOriginalSize;

    private bool VerifyBatch(BatchPlan plan, PlannedBatch batch)
    {
        var workload = Workload!;
        if (intents.Count == 0 && !TargetAsked(workload, batch.Target))
        {
            // Level-triggered: the workload no longer asks for this batch (changed by hand, or a take-over
            // after a crash held it lower); ask again.
            Emit(new SetTarget(batch.Target));
        }

        if (intents.Count > 0 || !workload.Settled)
        {
            // What we see predates what we asked for: judge readiness only on a fresh observation.
            return WaitWithDeadline(batch, $"the workload to take batch {batch.Index + 1}/{plan.Count} ({batch.Target} pods)");
        }

        var allowed = batch.AllowedUnavailable;
        var shrinking = Mode == RolloutMode.Scale && batch.Target < status.RolloutOriginalSize;
        var available = shrinking
            ? workload.TargetPods <= batch.Target
            : workload.TargetReady + allowed >= batch.Target;
        if (!available)
        {
            return WaitWithDeadline(batch, shrinking
                ? $"{workload.TargetPods} pods to shrink to {batch.Target}"
                : $"{workload.TargetReady} of {batch.Target} upgraded pods ready, {allowed} may be unavailable");
        }

        if (TwoObjects && PlanSpec.EffectiveStrategy == RolloutStrategy.IncreaseFirst)
        {
            var sourceLeft = batch.SourceLeft!.Value;
            if (!SourceAsked(workload, sourceLeft))
            {
                Emit(new SetSource(sourceLeft));
                return Wait($"the source to scale down to {sourceLeft} pods");
            }

            if (workload.SourcePods > sourceLeft)
            {
                return WaitWithDeadline(batch, $"the source to scale down to {sourceLeft} pods ({workload.SourcePods} left)");
            }
        }

        return Fire(RolloutEvent.BatchAvailable);
    }

    private bool FinalizeBatch(BatchPlan plan, PlannedBatch batch)
    {
        var workload = Workload!;
        // More upgraded pods than asked for, while the spec asks for exactly this batch: another writer moved them.
        if (Mode == RolloutMode.Upgrade && workload.RequestedTarget == batch.Target && workload.Settled && workload.TargetPods > batch.Target)
        {
            return Fail("BatchOversized",
                $"batch {batch.Index + 1}/{plan.Count} has {workload.TargetPods} pods on {status.LastTargetAppRevision}, more than the {batch.Target} planned");
        }

        if (!PassGate(WebhookType.PostBatchRollout, batch.Index, PlanSpec.RolloutWebhooks, Batch(batch).BatchRolloutWebhooks))
        {
            return false;
        }

        var of = Mode == RolloutMode.Upgrade ? $" of {status.RolloutTargetSize}" : string.Empty;
        events.Add(RecordedEvent.Normal("BatchAvailable",
            $"batch {batch.Index + 1}/{plan.Count}: {workload.TargetPods}{of} pods on {status.LastTargetAppRevision}, {workload.TargetReady} ready"));
        return Fire(plan.IsLast(batch.Index) ? RolloutEvent.AllBatchesFinished : RolloutEvent.BatchFinalized);
    }

    private bool Approve(BatchPlan plan)
    {
        if (PlanSpec.BatchPartition is { } partition && partition <= status.CurrentBatch)
        {
            return Wait($"spec.rolloutPlan.batchPartition ({partition}) to be raised past batch index {status.CurrentBatch}");
        }

        if (plan.IsLast(status.CurrentBatch))
        {
            return Fire(RolloutEvent.AllBatchesFinished);
        }

        return Fire(RolloutEvent.BatchApproved);
    }

    private bool FinalizeSuccess()
    {
        if (!PassGate(WebhookType.FinalizeRollout, 0, PlanSpec.RolloutWebhooks, null))
        {
            return false;
        }

        Emit(new ReleaseWorkload(Succeeded: true));
        status = status with { LastAppliedPodTemplateIdentifier = status.TargetGeneration };
        SetCondition(ConditionTypes.Succeeded, ConditionStatus.True, "RolloutSucceeded",
            $"{status.RolloutTargetSize} pods on {status.LastTargetAppRevision}", restamp: true);
        SetCondition(ConditionTypes.Progressing, ConditionStatus.False, "RolloutSucceeded", "the rollout is complete", restamp: true);
        events.Add(RecordedEvent.Normal("RolloutSucceeded", $"{status.RolloutTargetSize} pods on {status.LastTargetAppRevision}"));
        return Fire(RolloutEvent.Finalized);
    }

    private bool FinalizeFailure()
    {
        if (Workload is null)
        {
            return Wait("the workload to be observed");
        }

        if (PlanSpec.EffectiveOnFailure == OnFailure.Pause)
        {
            Emit(new PauseWorkload());
            return FinishFailure($"onFailure: Pause left the workload paused: {Workload}");
        }

        // Reverted first: once the source's template is back, the workload no longer looks prepared for the target.
        if (Reverted(out var progress))
        {
            Emit(new ReleaseWorkload(Succeeded: false));
            return FinishFailure($"rolled back: {Workload}");
        }

        if (!Workload.Prepared && !Workload.RevertRequested && Workload.TargetPods == 0)
        {
            Emit(new ReleaseWorkload(Succeeded: false));
            return FinishFailure("the workload was never touched");
        }

        return RevertOrGiveUp(progress, out var finished) || finished;
    }

    private bool FinalizeDeletion()
    {
        var touched = Workload is { } workload && (workload.Prepared || workload.TargetPods > 0);
        string outcome;
        if (Spec.RevertOnDelete == true && touched && !Reverted(out var progress))
        {
            if (RevertOrGiveUp(progress, out var finished))
            {
                return true;
            }

            if (!finished)
            {
                return false;
            }

            outcome = "workload released as it is: the revert gave up at its deadline";
        }
        else if (Spec.RevertOnDelete != true && touched)
        {
            // KubeVela leaves it paused: nothing moves until someone decides (a new AppRollout takes it from here).
            Emit(new PauseWorkload());
            Emit(new ReleaseWorkload(Succeeded: false));
            outcome = $"workload left paused where it was ({Workload}); a new AppRollout takes it over from there";
        }
        else
        {
            Emit(new ReleaseWorkload(Succeeded: false));
            outcome = Spec.RevertOnDelete == true && touched ? "workload back on the source revision" : "workload released; the rollout had not touched it";
        }

        events.Add(RecordedEvent.Normal("RolloutDeleted", outcome));
        Fire(RolloutEvent.Finalized);
        removeFinalizer = true;
        return false;
    }

    private bool Abandon()
    {
        Emit(new ReleaseWorkload(Succeeded: false));
        events.Add(RecordedEvent.Normal("RolloutAbandoned",
            $"the spec changed to {Spec.SourceAppRevisionName ?? "nothing"} -> {Spec.TargetAppRevisionName}; starting over"));
        return Fire(RolloutEvent.Finalized);
    }

    /// <summary>
    /// Asks for the revert and waits for it; past the deadline gives up and releases. The revert is asked for on
    /// every look until it is done (level-triggered: a kind may revert in stages, e.g. the source up before the
    /// target down); adapters write only what differs.
    /// </summary>
    private bool RevertOrGiveUp(string progress, out bool finished)
    {
        finished = false;
        if (DeadlinePassed(out var waited))
        {
            Emit(new ReleaseWorkload(Succeeded: false));
            events.Add(RecordedEvent.Warn("RollbackIncomplete", $"gave up waiting after {waited}: {progress}"));
            if (State == RolloutFailing)
            {
                FinishFailure($"rollback incomplete after {waited}: {progress}");
                return true;
            }

            finished = true;
            return false;
        }

        Emit(new RevertWorkload(Mode, status.RolloutOriginalSize, FirstBatchMaxUnavailable()));
        WaitFor($"the workload to go back to the source: {progress}", RemainingDeadline());
        return false;
    }

    private bool FinishFailure(string outcome)
    {
        var reason = status.Condition(ConditionTypes.Failed)?.Reason ?? "RolloutFailed";
        var message = status.Condition(ConditionTypes.Failed)?.Message ?? "the rollout failed";
        SetCondition(ConditionTypes.Failed, ConditionStatus.True, reason, $"{message}; {outcome}", restamp: false);
        events.Add(RecordedEvent.Warn("RolloutFailed", $"{message}; {outcome}"));
        return Fire(RolloutEvent.Finalized);
    }

    /// <summary>Every pod is back on the source revision (or at the original size) and ready.</summary>
    private bool Reverted(out string progress)
    {
        var workload = Workload!;
        var original = status.RolloutOriginalSize;
        if (Mode == RolloutMode.Upgrade)
        {
            progress = $"{workload.SourceReady} of {original} source pods ready, {workload.TargetPods} still on {status.LastTargetAppRevision}";
            return workload.Settled && workload.RevertRequested && workload.TargetPods == 0 && workload.SourceReady >= original;
        }

        progress = $"{workload.TargetPods} pods ({workload.TargetReady} ready), back to {original}";
        return workload.Settled && workload.RevertRequested && workload.TargetPods == original && workload.TargetReady >= original;
    }

    private IntOrPercent? FirstBatchMaxUnavailable() => PlanSpec.RolloutBatches is { Count: > 0 } batches ? batches[0].MaxUnavailable : null;

    private bool HonourPause()
    {
        var paused = status.Condition(ConditionTypes.BatchPaused)?.Status == ConditionStatus.True;
        if (PlanSpec.Paused == true)
        {
            if (!paused)
            {
                SetCondition(ConditionTypes.BatchPaused, ConditionStatus.True, "Paused", $"paused at batch index {status.CurrentBatch}", restamp: true);
                events.Add(RecordedEvent.Normal("Paused", $"paused at batch {status.CurrentBatch + 1} ({ApiEnumJsonConverter<BatchRollingState>.NameOf(status.BatchRollingState ?? BatchInitializing)})"));
            }

            return Wait("spec.rolloutPlan.paused to be false");
        }

        if (paused)
        {
            SetCondition(ConditionTypes.BatchPaused, ConditionStatus.False, "Resumed", $"resumed at batch index {status.CurrentBatch}", restamp: true);
            SetCondition(ConditionTypes.Progressing, ConditionStatus.True, "Resumed", $"resumed at batch index {status.CurrentBatch}", restamp: true);
            events.Add(RecordedEvent.Normal("Resumed", $"resumed at batch {status.CurrentBatch + 1}"));
        }

        return true;
    }

    private bool PassGate(WebhookType type, int batch, IReadOnlyList<RolloutWebhook>? planHooks, IReadOnlyList<RolloutWebhook>? batchHooks)
    {
        var hooks = (planHooks ?? []).Concat(batchHooks ?? []).Where(h => h.Type == type).ToArray();
        if (hooks.Length == 0)
        {
            return true;
        }

        var key = WebhookGate.GateKey(type, batch);
        if (!input.Gates.TryGetValue(key, out var result))
        {
            gate = new WebhookGate(type, batch, State, hooks);
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
                WaitFor($"webhook {key}: {result.Message}", RolloutEngine.WebhookRetryInterval);
                return false;
        }
    }

    private bool IsModified()
    {
        if (State is RolloutDeleting || string.IsNullOrEmpty(status.LastTargetAppRevision))
        {
            return false;
        }

        return Spec.TargetAppRevisionName != status.LastTargetAppRevision
            || (Spec.SourceAppRevisionName ?? string.Empty) != (status.LastSourceAppRevision ?? string.Empty)
            || (PlanSpec.TargetSize is { } size && size != status.RolloutTargetSize);
    }

    private bool Fire(RolloutEvent @event)
    {
        var from = State;
        var outcome = TransitionTable.Fire(from, status.BatchRollingState, @event);
        if (!outcome.IsLegal)
        {
            status = status with { RollingState = RolloutFailed };
            SetCondition(ConditionTypes.Failed, ConditionStatus.True, "IllegalTransition", outcome.IllegalMessage!, restamp: true);
            events.Add(RecordedEvent.Warn("IllegalTransition", outcome.IllegalMessage!));
            return false;
        }

        transitions.Add(outcome.Rule!);
        if (outcome.State != from && ConditionTypes.ForState(from) is { } passed && from is not (RolloutSucceed or RolloutFailed)
            && @event is not (RolloutEvent.Failed or RolloutEvent.BatchFailed or RolloutEvent.Modified or RolloutEvent.Deleted))
        {
            // KubeVela's phase conditions: True once the phase is passed (a failure sets it False in Fail).
            SetCondition(passed, ConditionStatus.True, @event.ToString(), outcome.Rule!.Note, restamp: true);
        }

        status = outcome.Effect switch
        {
            TransitionEffect.Reset => Fresh(),
            TransitionEffect.NextBatch => status with { CurrentBatch = status.CurrentBatch + 1 },
            _ => status,
        };
        status = status with { RollingState = outcome.State, BatchRollingState = outcome.Batch };
        if (outcome.State is RollingInBatches && from is Initializing)
        {
            status = status with { CurrentBatch = 0 };
        }

        SetCondition(ConditionTypes.Progressing, outcome.State is RolloutSucceed or RolloutFailed ? ConditionStatus.False : ConditionStatus.True,
            StepReason(), StepMessage(), restamp: true);
        return outcome.State is not (RolloutSucceed or RolloutFailed);
    }

    private bool Fail(string reason, string message)
    {
        if (ConditionTypes.ForState(State) is { } phase && State is not (RolloutSucceed or RolloutFailed))
        {
            SetCondition(phase, ConditionStatus.False, reason, message, restamp: true);
        }

        SetCondition(ConditionTypes.Failed, ConditionStatus.True, reason, message, restamp: true);
        events.Add(RecordedEvent.Warn(reason, message));
        return Fire(State == RollingInBatches ? RolloutEvent.BatchFailed : RolloutEvent.Failed);
    }

    /// <summary>Adds an intent; with no workload observed (its revisions are gone) there is nothing to drive, so none.</summary>
    private void Emit(WorkloadIntent intent)
    {
        if (Workload is not null)
        {
            intents.Add(intent);
        }
    }

    private bool Wait(string what)
    {
        waitingFor ??= what;
        return false;
    }

    private void WaitFor(string what, TimeSpan after)
    {
        waitingFor ??= what;
        requeueAfter = requeueAfter is { } existing && existing < after ? existing : after;
    }

    private bool WaitWithDeadline(PlannedBatch batch, string what)
    {
        if (PlanSpec.Paused != true && DeadlinePassed(out var waited))
        {
            return Fail("ProgressDeadlineExceeded",
                $"batch {batch.Index + 1} not available within {waited}: {what}");
        }

        WaitFor(what, RemainingDeadline());
        return false;
    }

    private bool DeadlinePassed(out string waited)
    {
        var seconds = PlanSpec.EffectiveProgressDeadlineSeconds;
        waited = $"{seconds}s (spec.rolloutPlan.progressDeadlineSeconds)";
        var since = status.Condition(ConditionTypes.Progressing)?.LastTransitionTime;
        return seconds > 0 && since is { } start && now - start > TimeSpan.FromSeconds(seconds);
    }

    private TimeSpan RemainingDeadline()
    {
        var seconds = PlanSpec.EffectiveProgressDeadlineSeconds;
        var since = status.Condition(ConditionTypes.Progressing)?.LastTransitionTime ?? now;
        if (seconds <= 0)
        {
            return TimeSpan.FromMinutes(5);
        }

        var remaining = since + TimeSpan.FromSeconds(seconds) - now;
        return remaining > TimeSpan.Zero ? remaining + TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(100);
    }

    /// <summary>
    /// Reports the workload's pod counts, only once its controller has seen its latest spec: right after a
    /// take-over the status still counts pods against the old template (an in-place kind's updatedReplicas
    /// would claim every pod as upgraded).
    /// </summary>
    private void RecordCounts()
    {
        if (Workload is { Settled: true } workload && State is not (LocatingTargetApp or VerifyingSpec))
        {
            status = status with { UpgradedReplicas = workload.TargetPods, UpgradedReadyReplicas = workload.TargetReady };
        }
    }

    private void NoteCanaryMetrics()
    {
        var uses = PlanSpec.CanaryMetric is { Count: > 0 } || PlanSpec.RolloutBatches?.Any(b => b.CanaryMetric is { Count: > 0 }) == true;
        if (uses)
        {
            SetCondition(ConditionTypes.MetricsEvaluated, ConditionStatus.False, "NotImplemented",
                "the plan has canaryMetric checks; metric analysis does not exist yet, so they are not evaluated", restamp: false);
        }
    }

    private bool TwoObjects => Workload?.Style == WorkloadStyle.TwoObject && Mode == RolloutMode.Upgrade;

    private RolloutBatch Batch(PlannedBatch batch) =>
        PlanSpec.RolloutBatches is { } batches && batch.Index < batches.Count ? batches[batch.Index] : new RolloutBatch();

    private string StepReason() => State switch
    {
        RollingInBatches => $"Batch{Pascal(ApiEnumJsonConverter<BatchRollingState>.NameOf(status.BatchRollingState ?? BatchInitializing))[5..]}",
        _ => Pascal(ApiEnumJsonConverter<RollingState>.NameOf(State)),
    };

    private string StepMessage() => State == RollingInBatches
        ? $"batch {status.CurrentBatch + 1}: {ApiEnumJsonConverter<BatchRollingState>.NameOf(status.BatchRollingState ?? BatchInitializing)}"
        : ApiEnumJsonConverter<RollingState>.NameOf(State);

    private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private AppRolloutStatus Fresh() => new()
    {
        RollingState = LocatingTargetApp,
        ObservedGeneration = input.Generation,
        Conditions = [new Condition { Type = ConditionTypes.Progressing, Status = ConditionStatus.True, Reason = "LocatingTargetApp", Message = "looking for the revisions", LastTransitionTime = now }],
    };

    private void SetCondition(string type, ConditionStatus value, string reason, string message, bool restamp, bool warn = false)
    {
        var existing = status.Condition(type);
        if (existing is not null && existing.Status == value && existing.Reason == reason && existing.Message == message)
        {
            return;
        }

        if (warn && (existing?.Reason != reason || existing?.Message != message))
        {
            events.Add(RecordedEvent.Warn(reason, message));
        }

        var stamp = restamp || existing is null || existing.Status != value ? now : existing.LastTransitionTime;
        var updated = new Condition { Type = type, Status = value, Reason = reason, Message = message, LastTransitionTime = stamp };
        status = status with
        {
            Conditions = (status.Conditions ?? []).Where(c => c.Type != type).Append(updated).ToArray(),
        };
    }
}
