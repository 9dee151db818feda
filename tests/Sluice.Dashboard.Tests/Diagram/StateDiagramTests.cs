using Sluice.Core.Api;
using Sluice.Core.StateMachine;
using Sluice.Dashboard.Diagram;

namespace Sluice.Dashboard.Tests.Diagram;

public sealed class StateDiagramTests
{
    [Fact]
    public void Render_TheTransitionTable_DrawsEveryStateAndBatchStateOnce()
    {
        var svg = StateDiagram.Render(TransitionTable.Rows, null, null).ToString();

        foreach (var state in TransitionTable.States)
        {
            svg.Split($"data-state=\"{StateDiagram.Name(state)}\"").Length.ShouldBe(2, StateDiagram.Name(state));
        }

        foreach (var batch in TransitionTable.Rows.Where(r => r.From == RollingState.RollingInBatches && r.To == RollingState.RollingInBatches).Select(r => r.FromBatch).OfType<BatchRollingState>().Distinct())
        {
            svg.ShouldContain($"data-batch-state=\"{StateDiagram.Name(batch)}\"");
        }

        svg.ShouldNotContain("class=\"node current");
    }

    [Fact]
    public void Render_EveryRowOfTheTable_IsAnEdgeOrPartOfAFanIn()
    {
        var svg = StateDiagram.Render(TransitionTable.Rows, null, null).ToString();

        var fanIns = System.Text.RegularExpressions.Regex.Matches(svg, "<title>(\\w+): from ([^<]*) to (\\w+)</title>")
            .ToDictionary(m => (m.Groups[1].Value, m.Groups[3].Value), m => m.Groups[2].Value.Split(", "));
        foreach (var row in TransitionTable.Rows)
        {
            var inner = row.From == RollingState.RollingInBatches && row.To == RollingState.RollingInBatches;
            var edge = inner
                ? $"<title>{row.Event}: {(row.FromBatch is { } from ? StateDiagram.Name(from) : "any batch state")} to {StateDiagram.Name(row.ToBatch!.Value)}</title>"
                : $"<title>{row.Event}: {StateDiagram.Name(row.From)} to {StateDiagram.Name(row.To)}</title>";
            var inFanIn = fanIns.TryGetValue((row.Event.ToString(), StateDiagram.Name(row.To)), out var sources) && sources.Contains(StateDiagram.Name(row.From));
            (svg.Contains(edge, StringComparison.Ordinal) || inFanIn).ShouldBeTrue($"{row.Event} from {row.From} to {row.To} is not drawn");
        }

        // Modified and Deleted lead to one state from many: drawn once each, from "any unfinished state".
        svg.ShouldContain("<title>Modified: from locatingTargetApp, verifyingSpec");
        svg.ShouldContain("<title>Deleted: from locatingTargetApp");
    }

    [Fact]
    public void Render_CurrentStateAndBatchState_AreHighlighted()
    {
        var svg = StateDiagram.Render(TransitionTable.Rows, RollingState.RollingInBatches, BatchRollingState.BatchVerifying).ToString();

        svg.ShouldContain("<g class=\"node current container\" data-state=\"rollingInBatches\">");
        svg.ShouldContain("<g class=\"node sub current\" data-batch-state=\"batchVerifying\">");
        // Two nodes (their class and title each), and the description.
        System.Text.RegularExpressions.Regex.Count(svg, "current").ShouldBe(5);
    }

    [Fact]
    public void From_RollingInBatchesVerifying_ListsTheTableRowsThatLeaveIt()
    {
        var next = StateDiagram.From(TransitionTable.Rows, RollingState.RollingInBatches, BatchRollingState.BatchVerifying);

        next.Select(r => r.Event).ShouldBe([RolloutEvent.BatchAvailable, RolloutEvent.BatchFailed, RolloutEvent.PlanShortened, RolloutEvent.Modified, RolloutEvent.Deleted], ignoreOrder: true);
        next.ShouldBe(TransitionTable.Rows.Where(r => r.Matches(RollingState.RollingInBatches, BatchRollingState.BatchVerifying, r.Event)).ToList());
    }
}
