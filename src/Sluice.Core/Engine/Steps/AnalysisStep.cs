using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>batchAnalyzing</c>: the batch's and the plan's canaryMetric checks. Until metric analysis runs them, a plan that has
/// them says so in the <c>MetricsEvaluated</c> condition (never silently), and the step passes.
/// </summary>
internal static class AnalysisStep
{
    public static bool Run(DecisionContext c) => c.Fire(RolloutEvent.AnalysisPassed);
}
