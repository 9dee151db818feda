using System.Globalization;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Notifications;

/// <summary>
/// The triggers a rollout subscribes to, and which of them its status shows it has passed (level-triggered: the whole
/// list is derived from the status every time, so a controller that was down meanwhile still finds what it missed).
/// </summary>
public static class NotificationTriggers
{
    public const string Started = "on-started";
    public const string BatchFinished = "on-batch-finished";
    public const string Paused = "on-paused";
    public const string Succeeded = "on-succeeded";
    public const string Failed = "on-failed";
    public const string Aborted = "on-aborted";
    public const string AnalysisFailed = "on-analysis-failed";

    /// <summary>The reason the analysis controller fails a batch with.</summary>
    public const string AnalysisFailedReason = "AnalysisFailed";

    public static IReadOnlyList<string> All { get; } = [Started, BatchFinished, Paused, Succeeded, Failed, Aborted, AnalysisFailed];

    /// <summary>Every occurrence of every trigger the status shows, oldest first.</summary>
    public static IReadOnlyList<Occurrence> Occurrences(AppRollout rollout)
    {
        var status = rollout.Status;
        var verified = status?.Condition(ConditionTypes.SpecVerifying);
        if (status is null || verified?.LastTransitionTime is not { } attemptStart)
        {
            return [];
        }

        // Every id carries the attempt (when verification ended): a retry or a new target starts new occurrences.
        var attempt = Stamp(attemptStart);
        var name = $"{rollout.Metadata.Namespace}/{rollout.Metadata.Name}";
        var target = rollout.Spec.TargetAppRevisionName;
        var revisions = rollout.Spec.SourceAppRevisionName is { Length: > 0 } source ? $"{source} to {target}" : $"{target}";
        var found = new List<Occurrence>();
        if (verified.Status == ConditionStatus.True)
        {
            found.Add(new(Started, $"{Started}/{attempt}", attemptStart, $"AppRollout {name} started: {revisions}"));
        }

        var batches = rollout.Spec.RolloutPlan?.RolloutBatches?.Count ?? rollout.Spec.RolloutPlan?.NumBatches ?? 0;
        var state = status.RollingState;
        var finished = state switch
        {
            RollingState.Finalising or RollingState.RolloutSucceed => Math.Max(batches, status.CurrentBatch + 1),
            RollingState.RollingInBatches or RollingState.RolloutFailing or RollingState.RolloutFailed or RollingState.RolloutAbandoning
                => status.CurrentBatch + (status.BatchRollingState == BatchRollingState.BatchReady ? 1 : 0),
            _ => 0,
        };
        var progress = status.Condition(ConditionTypes.InProgress)?.LastTransitionTime ?? attemptStart;
        for (var batch = 0; batch < finished; batch++)
        {
            found.Add(new(BatchFinished, $"{BatchFinished}/{attempt}/{batch}", progress,
                $"AppRollout {name}: batch {batch + 1}{(batches > 0 ? $" of {batches}" : "")} finished ({revisions})"));
        }

        if (status.Condition(ConditionTypes.BatchPaused) is { Status: ConditionStatus.True, LastTransitionTime: { } pausedAt } paused)
        {
            found.Add(new(Paused, $"{Paused}/{attempt}/{Stamp(pausedAt)}", pausedAt, $"AppRollout {name} paused: {paused.Message}"));
        }

        if (state == RollingState.RolloutSucceed && status.Condition(ConditionTypes.Succeeded) is { LastTransitionTime: { } succeededAt })
        {
            found.Add(new(Succeeded, $"{Succeeded}/{attempt}", succeededAt, $"AppRollout {name} succeeded: {revisions}"));
        }

        if (status.Condition(ConditionTypes.Failed) is { Status: ConditionStatus.True, LastTransitionTime: { } failedAt } failure)
        {
            var why = $"{failure.Reason}: {failure.Message}";
            if (failure.Reason == "Aborted")
            {
                found.Add(new(Aborted, $"{Aborted}/{attempt}", failedAt, $"AppRollout {name} aborted ({revisions}): {failure.Message}"));
            }
            else if (state == RollingState.RolloutFailed)
            {
                found.Add(new(Failed, $"{Failed}/{attempt}", failedAt, $"AppRollout {name} failed ({revisions}): {why}"));
            }

            if (failure.Reason == AnalysisFailedReason)
            {
                found.Add(new(AnalysisFailed, $"{AnalysisFailed}/{attempt}", failedAt, $"AppRollout {name}: analysis failed ({revisions}): {failure.Message}"));
            }
        }

        return found.OrderBy(o => o.At).ToList();
    }

    private static string Stamp(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
