using Sluice.Core.StateMachine;
using Sluice.Testing;

namespace Sluice.Core.Tests.StateMachine;

public class MermaidDiagramTests
{
    [Fact]
    public void Render_MatchesTheCommittedDiagram()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "state-machine.md");
        var committed = File.Exists(path) ? File.ReadAllText(path) : "(missing)";

        committed.ShouldBe(MermaidDiagram.Render(TransitionTable.Rows),
            "docs/state-machine.md is stale: regenerate it with `dotnet run --project src/Sluice.Cli -- state-machine > docs/state-machine.md`");
    }

    [Fact]
    public void Render_DrawsEveryRow()
    {
        var text = MermaidDiagram.Render(TransitionTable.Rows);

        foreach (var row in TransitionTable.Rows)
        {
            text.ShouldContain($": {row.Event}");
        }

        text.ShouldContain("batchReady --> batchInitializing: BatchApproved");
    }
}
