using Sluice.Core.Api;
using Sluice.Core.Operations;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Panels;

/// <summary>The plan as a strip of batches: each done, current (with its batch state), waiting, held past the partition, or failed.</summary>
internal sealed class PlanPanel : IRolloutPanel
{
    public string Id => "plan";

    public string Title => "Batches";

    public Html Render(RolloutPageModel model)
    {
        var facts = model.Facts;
        if (facts.BatchPlan is not { } plan)
        {
            return Html.Of($"<p class=\"empty\">The batches are computed once the revisions are located ({facts.BatchCount} planned).</p>");
        }

        var previous = 0;
        var items = new List<Html>();
        foreach (var batch in plan.Batches)
        {
            var size = Math.Max(0, batch.Target - previous);
            var state = StateOf(facts, batch.Index);
            var done = state == "done" ? size : Math.Clamp(facts.Ready - previous, 0, size);
            var label = state switch
            {
                "current" => facts.Plan.Paused == true ? $"{facts.BatchStateName} (paused)" : facts.BatchStateName ?? "current",
                "held" => $"held (batchPartition {facts.Plan.BatchPartition})",
                _ => state,
            };
            var icon = state switch { "done" => "✔", "current" => "◌", "failed" => "✖", "held" => "‖", _ => "·" };
            var current = state == "current" ? Html.Trusted(" aria-current=\"step\"") : Html.Empty;
            items.Add(Html.Of($"""
                <li class="batch batch-{state}" data-batch="{batch.Index + 1}" data-state="{state}"{current}>
                <span class="batch-name">Batch {batch.Index + 1} <span class="visually-hidden">of {plan.Count}</span></span>
                <span class="batch-status"><span aria-hidden="true">{icon}</span> {label}</span>
                <progress max="{Math.Max(size, 1)}" value="{done}" aria-label="batch {batch.Index + 1}: {done} of {size} pods ready"></progress>
                <span class="batch-size">{done}/{size} pods · {batch.Target} after</span>
                </li>
                """));
            previous = batch.Target;
        }

        var mode = plan.Shape.ToString();
        return Html.Of($"""
            <p class="plan-summary">{plan.Count} batches, {mode}, {facts.Plan.EffectiveStrategy.ToString()}; {facts.Ready} of {facts.TargetSize} ready on {facts.Target}.</p>
            <ol class="strip" aria-label="Batches of {facts.Name}">{items}</ol>
            """);
    }

    /// <summary>done, current, waiting, held or failed (the words of <c>sluice rollout watch</c>, as classes).</summary>
    internal static string StateOf(RolloutFacts facts, int index)
    {
        var current = facts.Status?.CurrentBatch ?? 0;
        return facts.State switch
        {
            RollingState.RolloutSucceed or RollingState.Finalising or RollingState.Promoting or RollingState.ScalingDownSource => "done",
            RollingState.RollingInBatches when index < current => "done",
            RollingState.RollingInBatches when index == current => "current",
            RollingState.RollingInBatches when facts.Plan.BatchPartition is { } p && index > p => "held",
            RollingState.RolloutFailing or RollingState.RolloutFailed when facts.Status?.BatchRollingState is not null && index < current => "done",
            RollingState.RolloutFailing or RollingState.RolloutFailed when facts.Status?.BatchRollingState is not null && index == current => "failed",
            _ => "waiting",
        };
    }
}
