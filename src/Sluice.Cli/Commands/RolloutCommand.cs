using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Output;
using Sluice.Cli.Rollouts;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice rollout pause|resume|promote [--full]|abort|retry|undo NAME</c>: each changes the AppRollout through the
/// API as docs/user-guide.md says, or refuses (exit 5) when it does not apply in the rollout's state;
/// <c>sluice rollout status NAME</c> waits for the end.
/// </summary>
internal static class RolloutCommand
{
    private const int Attempts = 5;

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
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var stored = await target.Api.GetAsync(ResourceKind.AppRollout, target.Namespace, name, cancellationToken);
                if (stored is null)
                {
                    await console.Error.WriteLineAsync($"error: approllout/{name} not found in namespace {target.Namespace}");
                    return ExitCodes.NotFound;
                }

                var change = RolloutOperations.Decide(operation, SluiceJson.Deserialize<AppRollout>(stored));
                if (change.Refused)
                {
                    await console.Error.WriteLineAsync($"error: {change.Refusal}");
                    return ExitCodes.NotApplicable;
                }

                try
                {
                    await target.Api.MergePatchAsync(ResourceKind.AppRollout, target.Namespace, name, change.Patch!, null, cancellationToken);
                }
                catch (KubeApiException e) when (e.IsConflict)
                {
                    continue; // changed meanwhile: decide again on what is there now
                }

                if (change.ResetStatus)
                {
                    await ResetStatusAsync(target.Api, target.Namespace, name, cancellationToken);
                }

                await console.People.WriteLineAsync(change.Summary);
                return ExitCodes.Success;
            }

            await console.Error.WriteLineAsync($"error: approllout/{name} kept changing; {Attempts} attempts conflicted");
            return ExitCodes.Unavailable;
        });
    }

    /// <summary>Writes an empty status: the engine starts the rollout afresh from locatingTargetApp.</summary>
    private static async Task ResetStatusAsync(IKubeApi api, string ns, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var latest = await api.GetAsync(ResourceKind.AppRollout, ns, name, cancellationToken)
                ?? throw new KubeApiException(System.Net.HttpStatusCode.NotFound, "NotFound", $"approllout/{name} was deleted");
            latest["status"] = new JsonObject();
            try
            {
                await api.ReplaceStatusAsync(ResourceKind.AppRollout, ns, latest, cancellationToken);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < Attempts)
            {
            }
        }
    }
}
