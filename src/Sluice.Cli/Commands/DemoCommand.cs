using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Cli.Commands.Demo;
using Sluice.Cli.Hosting;
using Sluice.Cli.Manifests;
using Sluice.Cli.Output;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Operations;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Traffic;
using Sluice.ControlPlane;
using Sluice.Dashboard;
using Sluice.Manifests;
using Sluice.Simulator;
using Sluice.Simulator.Traffic;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice demo</c>: the seed's walkthrough and then traffic and analysis, on a fresh embedded system, shown as it happens
/// and paced for a person (pods take a second or two to become ready, so each batch can be seen): v1 up in batches, v1 to v2
/// in place, a bad v3 that fails at its deadline and rolls back, v4 as a canary at 10% then 50% of the requests through an
/// HTTPRoute with one pod of five, and a bad v5 answering errors stopped by its metrics (with <c>sluice up</c>'s own
/// Prometheus; skipped, saying so, when it is not installed). After each act it prints the view of
/// <c>sluice rollout watch</c>.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(ICliConsole console)
    {
        var examples = new Option<string?>("--examples") { Description = "The examples folder (default: ./examples, or the one beside the sluice binary's checkout)." };
        var dashboard = new Option<bool>("--dashboard") { Description = "Serve the web dashboard beside the demo (and open it in a browser when there is a display); it stays up after the demo until Ctrl+C." };
        var prometheus = new Option<string>("--prometheus")
        {
            Description = "Run Debian's prometheus beside the plane for the analysis act: auto (when installed, the default) or off (skip that act).",
            DefaultValueFactory = _ => "auto",
        };
        prometheus.AcceptOnlyFromAmong("auto", "off");
        var command = new Command("demo", "Run the seed's walkthrough, then a traffic canary and a canary stopped by its metrics, on a fresh embedded control plane, and show each rollout as it happens.")
        {
            examples, dashboard, prometheus,
        };
        command.SetAction(async (parse, cancellationToken) =>
            await RunAsync(parse.GetValue(examples), parse.GetValue(dashboard), parse.GetValue(prometheus) != "off", console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? examplesOption, bool dashboard, bool prometheus, ICliConsole console, CancellationToken cancellationToken)
    {
        var examples = FindExamples(examplesOption);
        if (examples is null)
        {
            await console.Error.WriteLineAsync("error: the examples folder was not found; run from the checkout or pass --examples DIR");
            return ExitCodes.Usage;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
        var dataDir = Path.Combine(Path.GetTempPath(), $"sluice-demo-{Environment.ProcessId}");
        try
        {
            return await PlayAsync(examples, dataDir, dashboard, prometheus, console, stop);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temporary directory.
            }
        }
    }

    private static async Task<int> PlayAsync(string examples, string dataDir, bool dashboard, bool prometheus, ICliConsole console, CancellationTokenSource stop)
    {
        using var loggers = Logging.ToStderr(LogLevel.Warning);
        using var webhooks = new HttpClient();
        // A second or two per pod, so that a person sees each batch happen.
        var simulation = new SimulatorOptions(Nodes: 3, PodReadyDelay: DelayRange.Parse("1s..2s"));
        var scraping = new PrometheusChoice(prometheus ? PrometheusMode.Auto : PrometheusMode.Off, TimeSpan.FromSeconds(1));
        await using var system = await EmbeddedSystem.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, simulation, runControllers: true, webhooks, loggers, stop.Token,
            prometheus: scraping);
        var output = console.Out;
        await output.WriteLineAsync($"Sluice demo on an embedded control plane at {system.Plane.BaseUrl}");
        await output.WriteLineAsync($"  (kubectl works too while it runs: export KUBECONFIG={system.Plane.KubeconfigPath})");
        await output.WriteLineAsync(system.Prometheus is { } server
            ? $"  prometheus at {server.Url.ToString().TrimEnd('/')}, scraping the simulated data plane every second"
            : $"  no prometheus: {system.PrometheusNote}; the act that measures metrics is skipped");
        if (dashboard)
        {
            var board = await system.StartDashboardAsync(new DashboardOptions(), loggers, stop.Token);
            await output.WriteLineAsync($"  dashboard: {board.Url}");
            if (Browser.TryOpen(board.Url) is { } opened)
            {
                await output.WriteLineAsync($"  (opened with {opened})");
            }
        }

        var clock = Stopwatch.StartNew();
        var live = system.Traffic is { } plane ? LiveTraffic.Of(plane, TimeProvider.System) : null;
        await using var cache = new ClusterCache(system.Api, TimeProvider.System, loggers.CreateLogger("Sluice.Demo"), linger: TimeSpan.Zero);
        var changed = new ChangeSignal();
        cache.Changed += (_, _) => changed.Notify();
        ResourceKind[] kinds = [.. RolloutSnapshots.Kinds, ResourceKind.Service, TrafficKinds.HttpRoute, AnalysisKinds.AnalysisRun];
        var leases = kinds.Select(kind => cache.Acquire(kind, DemoFollower.Namespace)).ToList();
        var follower = new DemoFollower(cache, live, output, clock, TimeProvider.System);
        var prometheusMissing = system.Prometheus is null ? system.PrometheusNote ?? "prometheus is not running" : null;
        TimeSpan? recovery = null;
        string? unmeasured = null;
        try
        {
            await Task.WhenAll(kinds.Select(kind => cache.ReadyAsync(kind, DemoFollower.Namespace, stop.Token)));
            var acts = DemoActs.All;
            for (var i = 0; i < acts.Count; i++)
            {
                var act = acts[i];
                await output.WriteLineAsync();
                await output.WriteLineAsync($"[{i + 1}/{acts.Count}] {act.Title}");
                if (DemoActs.Skip(act, prometheusMissing) is { } skipped)
                {
                    await output.WriteLineAsync($"      {skipped}");
                    unmeasured ??= act.MeasuresRecovery ? $"not measured, act {i + 1} was skipped ({prometheusMissing})" : null;
                    continue;
                }

                foreach (var file in act.Files)
                {
                    await output.WriteLineAsync($"      apply {Path.Combine("examples", file)}");
                    await ApplyAsync(system.Api, await File.ReadAllTextAsync(Path.Combine(examples, file), stop.Token), stop.Token);
                }

                var result = await follower.FollowAsync(act, changed, stop.Token);
                await output.WriteLineAsync(result.State == act.Expect
                    ? $"      -> {result.State}, as expected"
                    : $"      -> {result.State}, expected {act.Expect}");
                if (result.Snapshot.Rollout.Status?.Condition(Core.Engine.ConditionTypes.Failed) is { Status: Core.Api.ConditionStatus.True } failed)
                {
                    await output.WriteLineAsync($"        why: {failed.Reason}: {failed.Message}");
                }

                if (act.MeasuresRecovery)
                {
                    foreach (var line in result.Timeline.Describe(act.Target, act.Source ?? "the source"))
                    {
                        await output.WriteLineAsync($"        {line}");
                    }

                    recovery = result.Timeline.Recovery;
                }

                await ShowAsync(output, result, console.Width, act.MeasuresRecovery);
                if (result.State != act.Expect)
                {
                    return ExitCodes.Invalid;
                }
            }
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("stopped");
            return ExitCodes.Success;
        }
        finally
        {
            leases.ForEach(l => l.Dispose());
        }

        await output.WriteLineAsync();
        if (unmeasured is not null)
        {
            await output.WriteLineAsync($"{RecoveryTimeline.SummaryPrefix}{unmeasured}.");
        }

        if (recovery is { } figure)
        {
            await output.WriteLineAsync($"{RecoveryTimeline.SummaryPrefix}{RecoveryTimeline.Seconds(figure)} from a bad version's first batch to all requests back on the source (as this demo saw it through its watch).");
        }

        await output.WriteLineAsync($"Done in {clock.Elapsed.TotalSeconds:0.0}s. Next: `sluice up` keeps a plane running for your own manifests (see docs/user-guide.md).");
        if (system.Dashboard is { } shown)
        {
            await output.WriteLineAsync($"The dashboard stays up at {shown.Url} until Ctrl+C.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>What <c>sluice rollout watch</c> shows at the end of the act; for the analysis act, every measurement of its run too.</summary>
    private static async Task ShowAsync(TextWriter output, ActResult result, int width, bool measurements)
    {
        await output.WriteLineAsync($"      sluice rollout watch {DemoFollower.Rollout}, as the act ends:");
        foreach (var line in RolloutView.Render(result.Snapshot, width - 6, result.Traffic, result.Analysis).Split('\n'))
        {
            await output.WriteLineAsync(line.Length == 0 ? "" : "      " + line);
        }

        if (measurements && result.Analysis is { } run)
        {
            await output.WriteLineAsync($"      sluice describe analysisrun {run.Metadata.Name}: its measurements");
            foreach (var line in AnalysisRunDescription.Metrics(run).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await output.WriteLineAsync("      " + line);
            }
        }
    }

    private static async Task ApplyAsync(IKubeApi api, string yaml, CancellationToken cancellationToken)
    {
        foreach (var document in YamlJson.ParseAll(yaml).OfType<JsonObject>())
        {
            await ManifestApplier.ApplyAsync(api, document, "default", cancellationToken);
        }
    }

    private static string? FindExamples(string? option)
    {
        if (option is not null)
        {
            return Directory.Exists(option) ? option : null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples");
                if (File.Exists(Path.Combine(candidate, "seed", "01-application-v1.yaml")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
