using System.Diagnostics;
using System.Globalization;
using Sluice.Controllers.Operations;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;
using Sluice.Core.Operations;

namespace Sluice.Cli.Commands.Demo;

/// <summary>
/// Follows the demo's rollout through one act from a watch cache: prints a line whenever its state, counts, route or
/// live share change (the seconds since the demo began in front), and for a bad version stopped by its metrics records
/// when each step of the way back was seen (<see cref="RecoveryTimeline"/>).
/// </summary>
internal sealed class DemoFollower(ClusterCache cache, ILiveTraffic? live, TextWriter output, Stopwatch clock, TimeProvider time)
{
    public const string Namespace = "default";
    public const string Rollout = "rolling-example";

    /// <summary>How often the live share and the clock are looked at when nothing else changed.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a failed act waits for its pods to be seen back on the source after the rollout ended.</summary>
    private static readonly TimeSpan PodsBackWait = TimeSpan.FromSeconds(30);

    private readonly ReaderKubeApi reader = new(cache);

    public async Task<ActResult> FollowAsync(DemoAct act, ChangeSignal changed, CancellationToken cancellationToken)
    {
        string? last = null;
        var timeline = new RecoveryTimeline();
        TimeSpan? ended = null;
        while (true)
        {
            var snapshot = RolloutSnapshots.Collect(cache, Namespace, Rollout, time.GetUtcNow());
            var rollout = snapshot?.Rollout;
            var forTarget = rollout?.Status?.LastTargetAppRevision == act.Target;
            var traffic = forTarget ? await RolloutTraffic.ObserveAsync(reader, rollout!, live, cancellationToken) : null;
            var run = forTarget ? RolloutAnalysis.Current(cache, rollout!) : null;
            var line = forTarget ? Progress(new RolloutFacts(rollout!), traffic) : "waiting for the controller";
            if (line != last)
            {
                var stamp = $"{clock.Elapsed.TotalSeconds,6:0.0}s ";
                await output.WriteLineAsync(stamp + line.Replace("\n", "\n" + new string(' ', stamp.Length), StringComparison.Ordinal));
                last = line;
            }

            var state = rollout?.Status?.RollingState;
            if (forTarget && act.MeasuresRecovery)
            {
                Track(timeline, act, snapshot!, traffic, run);
            }

            if (forTarget && state is RollingState.RolloutSucceed or RollingState.RolloutFailed)
            {
                ended ??= clock.Elapsed;
                if (!act.MeasuresRecovery || timeline.PodsBack is not null || clock.Elapsed - ended > PodsBackWait)
                {
                    return new ActResult(ApiEnumJsonConverter<RollingState>.NameOf(state.Value), snapshot!, traffic, run, timeline);
                }
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var change = changed.WaitAsync(wait.Token);
            await Task.WhenAny(change, Task.Delay(Tick, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            await wait.CancelAsync();
            await change.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>The first time each step of a failing canary's way back is seen.</summary>
    private void Track(RecoveryTimeline timeline, DemoAct act, RolloutSnapshot snapshot, TrafficPicture? traffic, AnalysisRun? run)
    {
        var now = clock.Elapsed;
        var state = snapshot.Rollout.Status?.RollingState;
        if (timeline.FirstBatch is null && state is RollingState.RollingInBatches)
        {
            timeline.FirstBatch = now;
        }

        var routes = traffic?.Observed.Routes ?? [];
        if (timeline.FirstBatch is not null && timeline.TrafficOn is null && routes.Any(r => r.Weight > 0))
        {
            timeline.TrafficOn = now;
        }

        if (timeline.AnalysisFailed is null && run?.Status?.Phase == AnalysisPhase.Failed)
        {
            timeline.AnalysisFailed = now;
        }

        if (timeline.TrafficOn is not null && timeline.TrafficBack is null && routes.Count > 0 && routes.All(r => r.Weight == 0))
        {
            timeline.TrafficBack = now;
        }

        var pods = snapshot.Workloads.SelectMany(w => w.Pods).ToList();
        if (timeline.TrafficOn is not null && timeline.PodsBack is null && state is RollingState.RolloutFailing or RollingState.RolloutFailed
            && pods.Count >= (snapshot.Rollout.Status?.RolloutTargetSize ?? 1) && pods.All(p => p.Revision == act.Source && p.Health == PodHealth.Ready))
        {
            timeline.PodsBack = now;
        }
    }

    /// <summary>The state, the batch, a bar of the pods; for a rollout that routes traffic, each route and the live share (whole percents).</summary>
    internal static string Progress(RolloutFacts facts, TrafficPicture? traffic)
    {
        var total = facts.TargetSize;
        var bar = new string('#', Math.Min(facts.Ready, total)) + new string('+', Math.Max(0, Math.Min(facts.Upgraded, total) - facts.Ready))
            + new string('.', Math.Max(0, total - Math.Max(facts.Upgraded, facts.Ready)));
        var batch = facts.State == RollingState.RollingInBatches ? $" batch {(facts.Status?.CurrentBatch ?? 0) + 1} {facts.BatchStateName}" : "";
        var line = $"{facts.StateName,-17}{batch,-28} [{bar}] {facts.Upgraded}/{total} on {facts.Target}, {facts.Ready} ready";
        if (traffic is null)
        {
            return line;
        }

        var routes = string.Join("; ", traffic.Observed.Routes.Select(r => $"{r.Kind} {r.Name}: {TrafficText.Split(r, traffic)}"));
        var share = traffic.Live is { Requests: > 0 } live
            ? "live share: " + string.Join(", ", live.Revisions.Where(r => r.Answered > 0).Select(r =>
                $"{r.Revision} {r.Percent.ToString("0", CultureInfo.InvariantCulture)}%{(r.Errors > 0 ? $" ({r.ErrorPercent.ToString("0", CultureInfo.InvariantCulture)}% of them 5xx)" : "")}"))
            : "live share: no requests counted yet";
        return $"{line}\n{routes}\n{share}";
    }
}

/// <summary>How an act's rollout ended, and what the views showed then.</summary>
internal sealed record ActResult(string State, RolloutSnapshot Snapshot, TrafficPicture? Traffic, AnalysisRun? Analysis, RecoveryTimeline Timeline);
