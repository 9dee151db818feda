namespace Sluice.Core.Engine;

/// <summary>
/// What the controller does about a batch's AnalysisRun (analysis.md), beside the workload and traffic intents. The
/// run's name is a pure function of the rollout, the batch and the attempt (<c>&lt;rollout&gt;-&lt;batch&gt;-&lt;attempt&gt;</c>), so a
/// controller that crashed after creating it finds it again (409 AlreadyExists adopts it): never two runs for one batch of one
/// attempt, never a decision forgotten.
/// </summary>
public abstract record AnalysisIntent;

/// <summary>Create the AnalysisRun of <see cref="Batch"/> (0-based) for <see cref="Attempt"/>, from the plan's and the batch's canaryMetric.</summary>
public sealed record StartAnalysis(int Batch, int Attempt) : AnalysisIntent
{
    public override string ToString() => $"start analysis of batch {Batch + 1} (attempt {Attempt})";
}

/// <summary>Stop a run the rollout no longer waits for (<c>spec.terminate: true</c>): it ends with what it measured.</summary>
public sealed record TerminateAnalysis(string Run) : AnalysisIntent
{
    public override string ToString() => $"terminate analysis {Run}";
}

/// <summary>Keep only the newest <see cref="Keep"/> runs of the rollout (never one still running).</summary>
public sealed record PruneAnalysisRuns(int Keep) : AnalysisIntent
{
    public override string ToString() => $"prune analysis runs (keep {Keep})";
}
