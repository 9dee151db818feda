using System.Text;
using Sluice.Core.Api;

namespace Sluice.Core.StateMachine;

/// <summary>Renders the transition table as docs/state-machine.md (a Mermaid state diagram and the table).</summary>
public static class MermaidDiagram
{
    public static string Render(IReadOnlyList<Transition> rows)
    {
        var md = new StringBuilder();
        md.Append("""
            # The AppRollout state machine

            Generated from `src/Sluice.Core/StateMachine/TransitionTable.cs` by
            `sluice state-machine > docs/state-machine.md`; a test fails when this file is stale.
            Batch states (`rollingInBatches/…`) are drawn inside `rollingInBatches`.
            An event with no row here is illegal: the rollout goes to `rolloutFailed` with a message
            naming the state and the event.

            ```mermaid
            stateDiagram-v2

            """);
        md.Append("    [*] --> locatingTargetApp\n");
        md.Append("    state rollingInBatches {\n");
        foreach (var row in rows.Where(r => r.From == RollingState.RollingInBatches && r.To == RollingState.RollingInBatches))
        {
            md.Append($"        {Name(row.FromBatch)} --> {Name(row.ToBatch)}: {row.Event}\n");
        }

        md.Append("    }\n");
        foreach (var row in rows.Where(r => !(r.From == RollingState.RollingInBatches && r.To == RollingState.RollingInBatches)))
        {
            md.Append($"    {Name(row.From)} --> {Name(row.To)}: {row.Event}\n");
        }

        md.Append("    rolloutSucceed --> [*]\n    rolloutFailed --> [*]\n```\n\n");
        md.Append("| from | batch state | event | to | batch state after | effect | note |\n|---|---|---|---|---|---|---|\n");
        foreach (var row in rows)
        {
            md.Append($"| {Name(row.From)} | {(row.FromBatch is null ? "any" : Name(row.FromBatch))} | {row.Event} | {Name(row.To)} | "
                + $"{(row.ToBatch is null ? "unchanged" : Name(row.ToBatch))} | {Effect(row.Effect)} | {row.Note} |\n");
        }

        return md.ToString();
    }

    private static string Name(RollingState state) => ApiEnumJsonConverter<RollingState>.NameOf(state);

    private static string Name(BatchRollingState? state) =>
        state is null ? "any" : ApiEnumJsonConverter<BatchRollingState>.NameOf(state.Value);

    private static string Effect(TransitionEffect effect) => effect switch
    {
        TransitionEffect.NextBatch => "currentBatch + 1",
        TransitionEffect.Reset => "status reset",
        _ => "",
    };
}
