using Sluice.Core.Api;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Tests.StateMachine;

public class TransitionTableTests
{
    /// <summary>The legal (state, batch state, event) triples and where they lead, written out independently of the table.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["locatingTargetApp/AppLocated"] = "verifyingSpec",
        ["verifyingSpec/SpecVerified"] = "initializing",
        ["initializing/Initialized"] = "rollingInBatches/batchInitializing",
        ["rollingInBatches/batchInitializing/BatchInitialized"] = "rollingInBatches/batchInRolling",
        ["rollingInBatches/batchInRolling/BatchRolledOut"] = "rollingInBatches/batchVerifying",
        ["rollingInBatches/batchVerifying/BatchAvailable"] = "rollingInBatches/batchShiftingTraffic",
        ["rollingInBatches/batchShiftingTraffic/TrafficShifted"] = "rollingInBatches/batchPausing",
        ["rollingInBatches/batchPausing/PauseEnded"] = "rollingInBatches/batchAnalyzing",
        ["rollingInBatches/batchAnalyzing/AnalysisPassed"] = "rollingInBatches/batchFinalizing",
        ["rollingInBatches/batchFinalizing/BatchFinalized"] = "rollingInBatches/batchReady",
        ["rollingInBatches/batchFinalizing/AllBatchesFinished"] = "finalising/batchReady",
        ["rollingInBatches/batchFinalizing/TargetUp"] = "promoting/batchReady",
        ["promoting/Promoted"] = "scalingDownSource",
        ["scalingDownSource/SourceScaledDown"] = "finalising",
        ["promoting/Failed"] = "rolloutFailing",
        ["scalingDownSource/Failed"] = "rolloutFailing",
        ["rollingInBatches/batchReady/BatchApproved"] = "rollingInBatches/batchInitializing+1",
        ["rollingInBatches/*/BatchFailed"] = "rolloutFailing/batchVerifyFailed",
        ["rollingInBatches/*/PlanShortened"] = "rollingInBatches/batchInitializing",
        ["locatingTargetApp/Failed"] = "rolloutFailed",
        ["verifyingSpec/Failed"] = "rolloutFailed",
        ["initializing/Failed"] = "rolloutFailing",
        ["finalising/Failed"] = "rolloutFailing",
        ["finalising/Finalized"] = "rolloutSucceed",
        ["rolloutFailing/Finalized"] = "rolloutFailed",
        ["RolloutDeletingState/Finalized"] = "rolloutFailed",
        ["rolloutAbandoning/Finalized"] = "locatingTargetApp reset",
        ["rolloutSucceed/Modified"] = "locatingTargetApp reset",
        ["rolloutFailed/Modified"] = "locatingTargetApp reset",
    };

    private static readonly string[] NonTerminal =
        ["locatingTargetApp", "verifyingSpec", "initializing", "rollingInBatches", "promoting", "scalingDownSource", "finalising", "rolloutFailing", "rolloutAbandoning"];

    public static TheoryData<RollingState, BatchRollingState?, RolloutEvent> AllTriples()
    {
        var data = new TheoryData<RollingState, BatchRollingState?, RolloutEvent>();
        foreach (var state in TransitionTable.States)
        {
            foreach (var batch in TransitionTable.BatchStates.Cast<BatchRollingState?>().Append(null))
            {
                foreach (var @event in TransitionTable.Events)
                {
                    data.Add(state, batch, @event);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllTriples))]
    public void Fire_EveryStateBatchStateAndEvent_IsLegalExactlyWhereTheSpecSays(RollingState state, BatchRollingState? batch, RolloutEvent @event)
    {
        var outcome = TransitionTable.Fire(state, batch, @event);

        var expected = ExpectedFor(state, batch, @event);
        if (expected is null)
        {
            outcome.IsLegal.ShouldBeFalse();
            outcome.State.ShouldBe(RollingState.RolloutFailed);
            outcome.IllegalMessage.ShouldNotBeNull().ShouldContain($"event {@event} in state {Name(state)}");
            return;
        }

        outcome.IsLegal.ShouldBeTrue();
        Describe(outcome, batch).ShouldBe(expected);
    }

    [Fact]
    public void Rows_AreNeverAmbiguous()
    {
        foreach (var state in TransitionTable.States)
        {
            foreach (var batch in TransitionTable.BatchStates)
            {
                foreach (var @event in TransitionTable.Events)
                {
                    TransitionTable.Rows.Count(r => r.Matches(state, batch, @event)).ShouldBeLessThanOrEqualTo(1);
                }
            }
        }
    }

    [Fact]
    public void Fire_Illegal_NamesTheBatchStateToo() =>
        TransitionTable.Fire(RollingState.RollingInBatches, BatchRollingState.BatchReady, RolloutEvent.BatchAvailable).IllegalMessage
            .ShouldBe("illegal transition: event BatchAvailable in state rollingInBatches/batchReady");

    private static string? ExpectedFor(RollingState state, BatchRollingState? batch, RolloutEvent @event)
    {
        var s = Name(state);
        if (@event == RolloutEvent.Modified && NonTerminal.Contains(s))
        {
            return "rolloutAbandoning";
        }

        if (@event == RolloutEvent.Deleted && NonTerminal.Contains(s))
        {
            return "RolloutDeletingState";
        }

        var b = batch is null ? null : ApiEnumJsonConverter<BatchRollingState>.NameOf(batch.Value);
        return Expected.GetValueOrDefault($"{s}/{b}/{@event}")
            ?? Expected.GetValueOrDefault($"{s}/*/{@event}")
            ?? (state == RollingState.RollingInBatches ? null : Expected.GetValueOrDefault($"{s}/{@event}"));
    }

    private static string Describe(TransitionOutcome outcome, BatchRollingState? before)
    {
        var text = Name(outcome.State);
        if (outcome.Rule!.ToBatch is { } after)
        {
            text += "/" + ApiEnumJsonConverter<BatchRollingState>.NameOf(after);
        }

        return outcome.Effect switch
        {
            TransitionEffect.NextBatch => text + "+1",
            TransitionEffect.Reset => text + " reset",
            _ => text,
        };
    }

    private static string Name(RollingState state) => ApiEnumJsonConverter<RollingState>.NameOf(state);
}
