using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Operations;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;
using Sluice.Core.Operations;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice rollout watch NAME</c>: a live view repainted on every change (followed through watches of the rollout, its
/// revisions, workloads and pods: <see cref="ClusterCache"/>; for a rollout that routes traffic also its Services and
/// routes, whose routers observe them read-only; with canaryMetric checks its AnalysisRuns), ending when the rollout
/// ends: exit 0 succeeded, 6 failed, 4 not found. On the embedded plane the live share per revision is read from the data
/// plane every second on a terminal.
/// </summary>
internal static class RolloutWatchCommand
{
    private const string Home = "\u001b[H\u001b[2J";

    /// <summary>How often a terminal's view reads the live share again when nothing else changed.</summary>
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromSeconds(1);

    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var name = RolloutCommand.NameArgument();
        var command = new Command("watch", "A live view of an AppRollout: state, batches with progress bars, traffic and analysis, workloads and pods; ends when the rollout ends.") { name };
        command.SetAction(async (parse, cancellationToken) => await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var rolloutName = parse.GetValue(name)!;
            // Read once directly, so that "no such rollout" and an unreachable API answer at once.
            if (await target.Api.GetAsync(ResourceKind.AppRollout, target.Namespace, rolloutName, cancellationToken) is null)
            {
                await console.Error.WriteLineAsync($"error: approllout/{rolloutName} not found in namespace {target.Namespace}");
                return ExitCodes.NotFound;
            }

            await using var cache = new ClusterCache(target.Api, time, NullLogger.Instance, linger: TimeSpan.Zero);
            var changed = new ChangeSignal();
            cache.Changed += (_, _) => changed.Notify();
            var leases = new Dictionary<ResourceKind, IDisposable>();
            async Task WatchAsync(IEnumerable<ResourceKind> kinds)
            {
                var added = kinds.Where(k => !leases.ContainsKey(k)).Distinct().ToList();
                added.ForEach(kind => leases[kind] = cache.Acquire(kind, target.Namespace));
                await Task.WhenAll(added.Select(kind => cache.ReadyAsync(kind, target.Namespace, cancellationToken)));
            }

            var live = EmbeddedPlane.LiveTraffic(target.EmbeddedDataDir, time);
            var reader = new ReaderKubeApi(cache);
            try
            {
                await WatchAsync(RolloutSnapshots.Kinds);
                string? last = null;
                while (true)
                {
                    var snapshot = RolloutSnapshots.Collect(cache, target.Namespace, rolloutName, time.GetUtcNow());
                    if (snapshot is null)
                    {
                        await console.Error.WriteLineAsync($"error: approllout/{rolloutName} not found in namespace {target.Namespace}");
                        return ExitCodes.NotFound;
                    }

                    // What else to watch follows the plan: its Services and routes, its AnalysisRuns.
                    var rollout = snapshot.Rollout;
                    var analyzed = RolloutAnalysis.HasChecks(rollout) || rollout.Status?.AnalysisRun is not null;
                    await WatchAsync([.. RolloutTraffic.Kinds(rollout), .. analyzed ? [AnalysisKinds.AnalysisRun] : Array.Empty<ResourceKind>()]);
                    var traffic = await RolloutTraffic.ObserveAsync(reader, rollout, live, cancellationToken);
                    var analysis = analyzed ? RolloutAnalysis.Current(cache, rollout) : null;

                    var frame = RolloutView.Render(snapshot, console.Width, traffic, analysis);
                    if (frame != last)
                    {
                        // On a terminal, repaint in place; otherwise (a pipe, a file) each changed frame follows the last.
                        await console.People.WriteAsync(console.OutIsTerminal ? Home + frame : (last is null ? "" : "\n") + frame);
                        last = frame;
                    }

                    var facts = new RolloutFacts(rollout);
                    if (facts.Current && facts.State is RollingState.RolloutSucceed or RollingState.RolloutFailed)
                    {
                        return facts.State == RollingState.RolloutSucceed ? ExitCodes.Success : ExitCodes.RolloutFailed;
                    }

                    // The live share changes without an API event: a terminal reads it again every second; a pipe only with
                    // the next change, so that it gets a frame per change rather than one a second.
                    await WaitAsync(changed, traffic?.Live is not null && console.OutIsTerminal ? LiveRefresh : null, time, cancellationToken);
                }
            }
            finally
            {
                foreach (var lease in leases.Values)
                {
                    lease.Dispose();
                }
            }
        }));
        return command;
    }

    private static async Task WaitAsync(ChangeSignal changed, TimeSpan? atMost, TimeProvider time, CancellationToken cancellationToken)
    {
        if (atMost is not { } limit)
        {
            await changed.WaitAsync(cancellationToken);
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var change = changed.WaitAsync(wait.Token);
        await Task.WhenAny(change, Task.Delay(limit, time, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        await wait.CancelAsync();
        await change.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
