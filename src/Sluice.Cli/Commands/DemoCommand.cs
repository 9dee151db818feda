using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Cli.Hosting;
using Sluice.Cli.Manifests;
using Sluice.Cli.Output;
using Sluice.Controllers.Kube;
using Sluice.ControlPlane;
using Sluice.Dashboard;
using Sluice.Manifests;
using Sluice.Simulator;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice demo</c>: the seed's walkthrough on a fresh embedded system, shown as it happens: v1 up in
/// batches, v1 to v2 in place, then a bad v3 that fails at its deadline and rolls back.
/// </summary>
internal static class DemoCommand
{
    private sealed record Step(string Title, string[] Files, string Target, string Expect);

    private static readonly Step[] Steps =
    [
        new("v1 (podinfo 4.0.6) comes up from nothing in batches of 10%, 40%, 50% of 5 pods",
            ["seed/01-application-v1.yaml", "seed/02-rollout-to-v1.yaml"], "test-rolling-v1", "rolloutSucceed"),
        new("v1 -> v2 (podinfo 5.0.2), in place, batches of 1, 2, 2 pods",
            ["seed/03-application-v2.yaml", "seed/04-rollout-v1-to-v2.yaml"], "test-rolling-v2", "rolloutSucceed"),
        new("v2 -> a bad v3 whose pods never become ready: it fails at its deadline and rolls back to v2",
            ["demo/05-application-v3-bad.yaml", "demo/06-rollout-v2-to-v3.yaml"], "test-rolling-v3", "rolloutFailed"),
    ];

    public static Command Create(ICliConsole console)
    {
        var examples = new Option<string?>("--examples") { Description = "The examples folder (default: ./examples, or the one beside the sluice binary's checkout)." };
        var dashboard = new Option<bool>("--dashboard") { Description = "Serve the web dashboard beside the demo (and open it in a browser when there is a display); it stays up after the demo until Ctrl+C." };
        var command = new Command("demo", "Run the seed's walkthrough on a fresh embedded control plane and show each rollout as it happens.") { examples, dashboard };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse.GetValue(examples), parse.GetValue(dashboard), console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? examplesOption, bool dashboard, ICliConsole console, CancellationToken cancellationToken)
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
        using var loggers = Logging.ToStderr(LogLevel.Warning);
        using var webhooks = new HttpClient();
        var simulation = new SimulatorOptions(Nodes: 3, PodReadyDelay: DelayRange.Parse("400ms..1200ms"));
        await using var system = await EmbeddedSystem.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, simulation, runControllers: true, webhooks, loggers, stop.Token);
        var output = console.Out;
        await output.WriteLineAsync($"Sluice demo on an embedded control plane at {system.Plane.BaseUrl}");
        await output.WriteLineAsync($"  (kubectl works too while it runs: export KUBECONFIG={system.Plane.KubeconfigPath})");
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
        try
        {
            for (var i = 0; i < Steps.Length; i++)
            {
                var step = Steps[i];
                await output.WriteLineAsync();
                await output.WriteLineAsync($"[{i + 1}/{Steps.Length}] {step.Title}");
                foreach (var file in step.Files)
                {
                    await output.WriteLineAsync($"      apply {Path.Combine("examples", file)}");
                    await ApplyAsync(system.Api, await File.ReadAllTextAsync(Path.Combine(examples, file), stop.Token), stop.Token);
                }

                var ended = await FollowAsync(system.Api, step.Target, output, clock, stop.Token);
                await output.WriteLineAsync(ended == step.Expect
                    ? $"      -> {ended}, as expected"
                    : $"      -> {ended}, expected {step.Expect}");
                if (ended != step.Expect)
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

        await output.WriteLineAsync();
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

    /// <summary>Prints a line whenever the rollout's state or counts change; returns the terminal state for <paramref name="target"/>.</summary>
    private static async Task<string> FollowAsync(IKubeApi api, string target, TextWriter output, Stopwatch clock, CancellationToken cancellationToken)
    {
        string? last = null;
        while (true)
        {
            var rollout = await api.GetAsync(ResourceKind.AppRollout, "default", "rolling-example", cancellationToken);
            var status = rollout?["status"];
            var state = status?["rollingState"]?.GetValue<string>() ?? "pending";
            var forTarget = status?["lastTargetAppRevision"]?.GetValue<string>() == target;
            var line = forTarget ? Line(status!) : "      waiting for the controller";
            if (line != last)
            {
                await output.WriteLineAsync($"{clock.Elapsed.TotalSeconds,6:0.0}s {line.TrimStart()}");
                last = line;
            }

            if (forTarget && state is "rolloutSucceed" or "rolloutFailed")
            {
                if (state == "rolloutFailed")
                {
                    var reason = (status!["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "RolloutFailed");
                    await output.WriteLineAsync($"        why: {reason?["message"]?.GetValue<string>()}");
                }

                return state;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static string Line(JsonNode status)
    {
        var total = status["rolloutTargetSize"]?.GetValue<int>() ?? 0;
        var upgraded = status["upgradedReplicas"]?.GetValue<int>() ?? 0;
        var ready = status["upgradedReadyReplicas"]?.GetValue<int>() ?? 0;
        var bar = new string('#', Math.Min(ready, total)) + new string('+', Math.Max(0, Math.Min(upgraded, total) - ready)) + new string('.', Math.Max(0, total - Math.Max(upgraded, ready)));
        var state = status["rollingState"]?.GetValue<string>();
        var batch = state == "rollingInBatches" ? $" batch {(status["currentBatch"]?.GetValue<int>() ?? 0) + 1} {status["batchRollingState"]?.GetValue<string>()}" : "";
        return $"{state,-17}{batch,-28} [{bar}] {upgraded}/{total} on {status["lastTargetAppRevision"]}, {ready} ready";
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

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples");
            if (File.Exists(Path.Combine(candidate, "seed", "01-application-v1.yaml")))
            {
                return candidate;
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples");
            if (File.Exists(Path.Combine(candidate, "seed", "01-application-v1.yaml")))
            {
                return candidate;
            }
        }

        return null;
    }
}
