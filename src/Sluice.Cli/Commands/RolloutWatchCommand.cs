using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Cli.Rollouts;
using Sluice.Core.Api;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice rollout watch NAME</c>: a live view repainted on every change (looked at every 200 ms), ending when the
/// rollout ends: exit 0 succeeded, 6 failed, 4 not found.
/// </summary>
internal static class RolloutWatchCommand
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private const string Home = "\u001b[H\u001b[2J";

    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var name = RolloutCommand.NameArgument();
        var command = new Command("watch", "A live view of an AppRollout: state, batches with progress bars, workloads and pods; ends when the rollout ends.") { name };
        command.SetAction(async (parse, cancellationToken) => await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var rolloutName = parse.GetValue(name)!;
            string? last = null;
            while (true)
            {
                var snapshot = await WatchCollector.CollectAsync(target.Api, target.Namespace, rolloutName, time.GetUtcNow(), cancellationToken);
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

                await Task.Delay(Interval, time, cancellationToken);
            }
        }));
        return command;
    }
}
