using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Output;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice describe rollout NAME</c>: spec summary, batch plan with each batch's state, conditions, recent Events;
/// <c>sluice describe app NAME</c>: components, revisions, the rollouts between them, recent Events;
/// <c>sluice describe analysisrun NAME</c>: every metric's measurements.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var command = new Command("describe", "Show an AppRollout, an Application or an AnalysisRun in detail, with recent Events.");

        var rolloutName = new Argument<string>("NAME") { Description = "The AppRollout's name." };
        var rollout = new Command("rollout", "An AppRollout: spec, batch plan with each batch's state, conditions, Events.") { rolloutName };
        rollout.Aliases.Add("approllout");
        rollout.SetAction(async (parse, cancellationToken) => await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var name = parse.GetValue(rolloutName)!;
            var stored = await target.Api.GetAsync(ResourceKind.AppRollout, target.Namespace, name, cancellationToken);
            if (stored is null)
            {
                await console.Error.WriteLineAsync($"error: approllout/{name} not found in namespace {target.Namespace}");
                return ExitCodes.NotFound;
            }

            var events = await EventsAsync(target, "AppRollout", name, cancellationToken);
            await console.Out.WriteAsync(RolloutDescription.Render(SluiceJson.Deserialize<AppRollout>(stored), events, time.GetUtcNow()));
            var runs = await RunsOfAsync(target, name, cancellationToken);
            if (runs.Count > 0)
            {
                await console.Out.WriteAsync(AnalysisRunDescription.RenderRuns(runs, time.GetUtcNow()));
            }

            return ExitCodes.Success;
        }));

        var appName = new Argument<string>("NAME") { Description = "The Application's name." };
        var app = new Command("app", "An Application: components, revisions, the rollouts between them, Events.") { appName };
        app.Aliases.Add("application");
        app.SetAction(async (parse, cancellationToken) => await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var name = parse.GetValue(appName)!;
            var stored = await target.Api.GetAsync(ResourceKind.Application, target.Namespace, name, cancellationToken);
            if (stored is null)
            {
                await console.Error.WriteLineAsync($"error: application/{name} not found in namespace {target.Namespace}");
                return ExitCodes.NotFound;
            }

            var revisions = Items(await target.Api.ListAsync(ResourceKind.ApplicationRevision, target.Namespace, $"app.oam.dev/name={name}", cancellationToken));
            var revisionNames = revisions.Select(r => r["metadata"]?["name"]?.GetValue<string>()).ToHashSet();
            var rollouts = Items(await target.Api.ListAsync(ResourceKind.AppRollout, target.Namespace, null, cancellationToken))
                .Where(r => revisionNames.Contains(r["spec"]?["targetAppRevisionName"]?.GetValue<string>()))
                .ToList();
            var events = await EventsAsync(target, "Application", name, cancellationToken);
            await console.Out.WriteAsync(AppDescription.Render(stored, revisions, rollouts, events, time.GetUtcNow()));
            return ExitCodes.Success;
        }));

        var runName = new Argument<string>("NAME") { Description = "The AnalysisRun's name (sluice get analysisruns lists them)." };
        var run = new Command("analysisrun", "An AnalysisRun: phase and why, and every metric's measurements.") { runName };
        run.Aliases.Add("ar");
        run.SetAction(async (parse, cancellationToken) => await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var name = parse.GetValue(runName)!;
            var stored = await target.Api.GetAsync(AnalysisKinds.AnalysisRun, target.Namespace, name, cancellationToken);
            if (stored is null)
            {
                await console.Error.WriteLineAsync($"error: analysisrun/{name} not found in namespace {target.Namespace}");
                return ExitCodes.NotFound;
            }

            var events = await EventsAsync(target, AnalysisRun.KindName, name, cancellationToken);
            await console.Out.WriteAsync(AnalysisRunDescription.Render(SluiceJson.Deserialize<AnalysisRun>(stored), events, time.GetUtcNow()));
            return ExitCodes.Success;
        }));

        command.Subcommands.Add(rollout);
        command.Subcommands.Add(app);
        command.Subcommands.Add(run);
        return command;
    }

    /// <summary>The rollout's AnalysisRuns (by label); none where the AnalysisRun CRD is not installed.</summary>
    private static async Task<List<AnalysisRun>> RunsOfAsync(Connection target, string rollout, CancellationToken cancellationToken)
    {
        try
        {
            return Items(await target.Api.ListAsync(AnalysisKinds.AnalysisRun, target.Namespace, $"{AnalysisRun.RolloutLabel}={rollout}", cancellationToken))
                .Where(r => r["metadata"]?["labels"]?[AnalysisRun.RolloutLabel]?.GetValue<string>() == rollout)
                .Select(r => SluiceJson.Deserialize<AnalysisRun>(r))
                .ToList();
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return [];
        }
    }

    private static List<JsonObject> Items(JsonObject list) => (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static async Task<List<JsonObject>> EventsAsync(Connection target, string kind, string name, CancellationToken cancellationToken) =>
        Items(await target.Api.ListAsync(ResourceKind.Event, target.Namespace, null, cancellationToken))
            .Where(e => e["involvedObject"]?["kind"]?.GetValue<string>() == kind && e["involvedObject"]?["name"]?.GetValue<string>() == name)
            .ToList();
}
