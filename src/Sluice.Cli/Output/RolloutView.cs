using System.Text;
using Sluice.Controllers.Operations;
using Sluice.Core.Operations;
using Sluice.Core.Api;

namespace Sluice.Cli.Output;

/// <summary>
/// One frame of <c>sluice rollout watch</c>, in the manner of <c>kubectl argo rollouts get rollout --watch</c>: a header
/// (state, batch, revisions with images, pod counts), a progress bar per batch, and the tree of workloads and pods
/// with status icons. Pure: the same snapshot and width always give the same text; no line is wider than the width.
/// </summary>
internal static class RolloutView
{
    public const string ReadyIcon = "✔";
    public const string ProgressingIcon = "◌";
    public const string FailedIcon = "✖";
    public const string PausedIcon = "॥";

    public static string Render(RolloutSnapshot snapshot, int width)
    {
        var facts = new RolloutFacts(snapshot.Rollout);
        var text = new StringBuilder();
        void Line(string line) => text.Append(Fit(line, width)).Append('\n');
        void Field(string label, string value) => Line($"{label + ":",-12}{value}");

        var batchState = facts.State == RollingState.RollingInBatches ? $"  batch {facts.Batch} {facts.BatchStateName}" : "";
        Field("Name", $"{facts.Name} ({facts.Namespace})");
        Field("Status", $"{StateIcon(facts)} {facts.StateName}{batchState}{(facts.Plan.Paused == true && !facts.Finished ? "  (paused)" : "")}");
        if (facts.Failure is { } failure)
        {
            Field("Message", $"{failure.Reason}: {failure.Message}");
        }

        Field("Source", $"{facts.Source}{Images(snapshot.SourceImages)}");
        Field("Target", $"{facts.Target}{Images(snapshot.TargetImages)}");
        var available = snapshot.Workloads.Sum(w => w.Available);
        Field("Pods", $"desired {facts.TargetSize}  updated {facts.Upgraded}  ready {facts.Ready}  available {available}");

        text.Append('\n');
        if (facts.BatchPlan is { } plan)
        {
            var barWidth = Math.Clamp(width - 40, 10, 30);
            var previous = 0;
            foreach (var batch in plan.Batches)
            {
                var size = Math.Max(0, batch.Target - previous);
                var done = BatchDone(facts, batch.Index) ? size : Math.Clamp(facts.Ready - previous, 0, size);
                var filled = size == 0 ? barWidth : done * barWidth / size;
                Line($"Batch {batch.Index + 1}/{plan.Count} [{new string('#', filled)}{new string('.', barWidth - filled)}] {done}/{size} {BatchLabel(facts, batch.Index)}");
                previous = batch.Target;
            }
        }
        else
        {
            Line("Batches: computed once the revisions are located");
        }

        text.Append('\n');
        Line($"{"NAME",-40} {"STATUS",-16} INFO");
        Line($"⟳ {facts.Name,-38} {StateIcon(facts)} {facts.StateName,-14}");
        for (var w = 0; w < snapshot.Workloads.Count; w++)
        {
            var workload = snapshot.Workloads[w];
            var lastWorkload = w == snapshot.Workloads.Count - 1;
            var healthy = workload.Ready >= workload.Replicas;
            Line($"{(lastWorkload ? "└──" : "├──")}# {workload.Kind.ToLowerInvariant()}/{workload.Name,-26} {(healthy ? ReadyIcon : ProgressingIcon)} {(healthy ? "Healthy" : "Progressing"),-14} {workload.Ready}/{workload.Replicas} ready");
            for (var p = 0; p < workload.Pods.Count; p++)
            {
                var pod = workload.Pods[p];
                var branch = p == workload.Pods.Count - 1 ? "└──" : "├──";
                Line($"{(lastWorkload ? "   " : "│  ")}{branch}□ {pod.Name,-32} {PodIcon(pod.Health)} {pod.Info,-14} {pod.Revision}");
            }
        }

        return text.ToString();
    }

    private static string Images(IReadOnlyList<string> images) => images.Count == 0 ? "" : $" ({string.Join(", ", images)})";

    private static bool BatchDone(RolloutFacts facts, int index) => facts.State switch
    {
        RollingState.RolloutSucceed or RollingState.Finalising or RollingState.Promoting or RollingState.ScalingDownSource => true,
        RollingState.RollingInBatches => index < (facts.Status?.CurrentBatch ?? 0),
        _ => false,
    };

    private static string BatchLabel(RolloutFacts facts, int index)
    {
        var current = facts.Status?.CurrentBatch ?? 0;
        if (BatchDone(facts, index))
        {
            return "done";
        }

        return facts.State switch
        {
            RollingState.RollingInBatches when index == current => facts.Plan.Paused == true ? $"{facts.BatchStateName} (paused)" : facts.BatchStateName ?? "",
            RollingState.RollingInBatches when facts.Plan.BatchPartition is { } p && index > p => $"held (batchPartition {p})",
            RollingState.RolloutFailing or RollingState.RolloutFailed when index == current && facts.Status?.BatchRollingState is not null => "failed",
            _ => "pending",
        };
    }

    private static string StateIcon(RolloutFacts facts) => facts.State switch
    {
        RollingState.RolloutSucceed => ReadyIcon,
        RollingState.RolloutFailed or RollingState.RolloutFailing => FailedIcon,
        _ when facts.Plan.Paused == true || HeldByPartition(facts) => PausedIcon,
        _ => ProgressingIcon,
    };

    /// <summary>Parked in batchReady until batchPartition is raised.</summary>
    private static bool HeldByPartition(RolloutFacts facts) =>
        facts.State == RollingState.RollingInBatches && facts.Status?.BatchRollingState == BatchRollingState.BatchReady
        && facts.Plan.BatchPartition is { } p && p <= (facts.Status?.CurrentBatch ?? 0) && (facts.Status?.CurrentBatch ?? 0) + 1 < facts.BatchCount;

    private static string PodIcon(PodHealth health) => health switch
    {
        PodHealth.Ready => ReadyIcon,
        PodHealth.Failed => FailedIcon,
        _ => ProgressingIcon,
    };

    private static string Fit(string line, int width)
    {
        var trimmed = line.TrimEnd();
        return trimmed.Length <= width ? trimmed : trimmed[..(width - 1)] + "…";
    }
}
