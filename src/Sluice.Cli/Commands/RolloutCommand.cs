using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Controllers.Operations;
using Sluice.Core.Operations;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice rollout pause|resume|promote [--full]|abort|retry|undo NAME</c>: each changes the AppRollout through the
/// API as docs/user-guide.md says, or refuses (exit 5) when it does not apply in the rollout's state;
/// <c>sluice rollout status NAME</c> waits for the end.
/// </summary>
internal static class RolloutCommand
{
    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var command = new Command("rollout", "Operate on an AppRollout: pause, resume, promote, abort, retry, undo, status.");
        command.Subcommands.Add(Operation("pause", "Hold the rollout at the start of its next batch step (spec.rolloutPlan.paused=true).", RolloutOperation.Pause, console, connection));
        command.Subcommands.Add(Operation("resume", "Let a paused rollout go on (spec.rolloutPlan.paused=false).", RolloutOperation.Resume, console, connection));
        command.Subcommands.Add(Operation("abort", "Stop an unfinished rollout: it fails with reason Aborted and onFailure applies (Rollback by default).", RolloutOperation.Abort, console, connection));
        command.Subcommands.Add(Operation("retry", "Restart a failed rollout from its first batch (clears its status).", RolloutOperation.Retry, console, connection));
        command.Subcommands.Add(Operation("undo", "Return a succeeded rollout to its source revision (swaps source and target).", RolloutOperation.Undo, console, connection));

        var name = NameArgument();
        var full = new Option<bool>("--full") { Description = "Release every batch: remove spec.rolloutPlan.batchPartition." };
        var promote = new Command("promote", "Release the next batch (spec.rolloutPlan.batchPartition + 1); --full releases all.") { name, full };
        promote.SetAction(async (parse, cancellationToken) => await RunAsync(
            parse.GetValue(full) ? RolloutOperation.PromoteFull : RolloutOperation.Promote, parse.GetValue(name)!, parse, console, connection, cancellationToken));
        command.Subcommands.Add(promote);
        command.Subcommands.Add(RolloutStatusCommand.Create(console, connection, time));
        command.Subcommands.Add(RolloutWatchCommand.Create(console, connection, time));
        return command;
    }

    public static Argument<string> NameArgument() => new("NAME") { Description = "The AppRollout's name." };

    private static Command Operation(string verb, string description, RolloutOperation operation, ICliConsole console, ConnectionOptions connection)
    {
        var name = NameArgument();
        var command = new Command(verb, description) { name };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(operation, parse.GetValue(name)!, parse, console, connection, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        RolloutOperation operation, string name, ParseResult parse, ICliConsole console, ConnectionOptions connection, CancellationToken cancellationToken)
    {
        return await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var result = await RolloutOperator.ApplyAsync(target.Api, operation, target.Namespace, name, cancellationToken);
            if (result.Done)
            {
                await console.People.WriteLineAsync(result.Message);
                return ExitCodes.Success;
            }

            await console.Error.WriteLineAsync($"error: {result.Message}");
            return result.Outcome switch
            {
                OperationOutcome.NotFound => ExitCodes.NotFound,
                OperationOutcome.Refused => ExitCodes.NotApplicable,
                _ => ExitCodes.Unavailable,
            };
        });
    }
}
