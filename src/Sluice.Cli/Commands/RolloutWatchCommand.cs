using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Controllers.Operations;
using Sluice.Core.Operations;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice rollout watch NAME</c>: a live view repainted on every change (followed through watches of the rollout, its
/// revisions, workloads and pods: <see cref="ClusterCache"/>), ending when the
/// rollout ends: exit 0 succeeded, 6 failed, 4 not found.
/// </summary>
internal static class RolloutWatchCommand
{
    private const string Home = "\u001b[H\u001b[2J";

    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var name = RolloutCommand.NameArgument();
        var command = new Command("watch", "A live view of an AppRollout: state, batches with progress bars, workloads and pods; ends when the rollout ends.") { name };
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
            var leases = RolloutSnapshots.Kinds.Select(kind => cache.Acquire(kind, target.Namespace)).ToList();
            try
            {
                await Task.WhenAll(RolloutSnapshots.Kinds.Select(kind => cache.ReadyAsync(kind, target.Namespace, cancellationToken)));
                string? last = null;
                while (true)
                {
                    var snapshot = RolloutSnapshots.Collect(cache, target.Namespace, rolloutName, time.GetUtcNow());
                    if (snapshot is null)
                    {
                        await console.Error.WriteLineAsync($"error: approllout/{rolloutName} not found in namespace {target.Namespace}");
                        return ExitCodes.NotFound;
                    }

                    var frame = RolloutView.Render(snapshot, console.Width);
                    if (frame != last)
                    {
                        // On a terminal, repaint in place; otherwise (a pipe, a file) each changed frame follows the last.
                        await console.People.WriteAsync(console.OutIsTerminal ? Home + frame : (last is null ? "" : "\n") + frame);
                        last = frame;
                    }

                    var facts = new RolloutFacts(snapshot.Rollout);
                    if (facts.Current && facts.State is RollingState.RolloutSucceed or RollingState.RolloutFailed)
                    {
                        return facts.State == RollingState.RolloutSucceed ? ExitCodes.Success : ExitCodes.RolloutFailed;
                    }

                    await changed.WaitAsync(cancellationToken);
                }
            }
            finally
            {
                leases.ForEach(l => l.Dispose());
            }
        }));
        return command;
    }
}
