using Sluice.Core.StateMachine;
using Sluice.Dashboard.Diagram;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Panels;

/// <summary>The state machine (from the transition table) with the current state highlighted, and what can happen next in words.</summary>
internal sealed class StateMachinePanel : IRolloutPanel
{
    public string Id => "state-machine";

    public string Title => "State machine";

    public Html Render(RolloutPageModel model)
    {
        var state = model.Facts.State;
        var batch = model.Facts.Status?.BatchRollingState;
        var next = StateDiagram.From(TransitionTable.Rows, state, batch)
            .Select(r => Html.Of($"<li><strong>{r.Event.ToString()}</strong> → {StateDiagram.Name(r.To)}{(r.ToBatch is { } b && r.To == Core.Api.RollingState.RollingInBatches ? " / " + StateDiagram.Name(b) : "")}: {r.Note}</li>"));
        var now = state is { } s ? StateDiagram.Name(s) + (batch is { } cb && s == Core.Api.RollingState.RollingInBatches ? " / " + StateDiagram.Name(cb) : "") : "not started (locatingTargetApp comes first)";
        return Html.Of($"""
            <div class="scroll" tabindex="0" role="group" aria-label="State machine diagram (scrolls sideways)">{StateDiagram.Render(TransitionTable.Rows, state, batch)}</div>
            <p>Now: <strong data-current-state>{now}</strong>.</p>
            <h3>What can happen next</h3>
            {(state is null ? Html.Of($"<p>The controller picks the rollout up.</p>") : Html.Of($"<ul class=\"next\">{next}</ul>"))}
            """);
    }
}
