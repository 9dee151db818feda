using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// bench/rollouts and bench/soak in their short mode, so that they cannot rot: each must exit 0 and print one JSON
/// object with its keys. Nothing here looks at a timing; the soak exits 1 on a wrong terminal state, an invariant
/// violation or a lost write, and that fails the test.
/// </summary>
public class BenchSmokeTests
{
    [Fact]
    public async Task Rollouts_ShortMode_PrintsEveryFigure()
    {
        var json = await RunAsync("Sluice.Bench.Rollouts", "--rollouts", "50", "--json");

        json["rollouts"]!.GetValue<int>().ShouldBe(50);
        foreach (var key in new[] { "reaction_p50_ms", "reaction_p95_ms", "reaction_p99_ms", "writes_per_batch", "min_writes_per_batch", "controller_cpu_s", "controller_peak_mb", "overhead_ratio", "poll_mode_ratio" })
        {
            json[key].ShouldNotBeNull(key);
            json[key]!.GetValue<double>().ShouldBeGreaterThan(0, key);
        }
    }

    [Fact]
    public async Task Soak_ShortMode_FindsNothingWrong()
    {
        var json = await RunAsync("Sluice.Bench.Soak", "--rollouts", "20", "--json", "--timeout", "3m");

        json["rollouts"]!.GetValue<int>().ShouldBe(20);
        json["faults"]!.AsObject().Select(f => f.Key).ShouldBeSubsetOf(
            ["controller_killed", "apiserver_restarted", "competing_writes", "conflicts_409", "webhook_failing", "webhook_hanging", "pods_never_ready"]);
        json["faults"]!["pods_never_ready"]!.GetValue<int>().ShouldBeGreaterThan(0);
        json["terminal_states_wrong"]!.GetValue<int>().ShouldBe(0);
        json["invariant_violations"]!.GetValue<int>().ShouldBe(0);
        json["lost_writes"]!.GetValue<int>().ShouldBe(0);
    }

    /// <summary>Runs a benchmark's program as bench/NAME does (with the built sluice.dll); returns its one JSON object.</summary>
    private static async Task<JsonObject> RunAsync(string project, params string[] args)
    {
        var script = Path.Combine(RepoPaths.Root, "bench", project == "Sluice.Bench.Soak" ? "soak" : "rollouts");
        File.Exists(script).ShouldBeTrue(script);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute).ShouldBeTrue($"{script} is executable");
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "bench", project, "bin", configuration, "net10.0", project + ".dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--sluice", RepoPaths.SluiceDll }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{project} did not finish within 5 minutes:\n{await stderr}");
        }
        var output = await stdout;
        process.ExitCode.ShouldBe(0, $"{project} exited {process.ExitCode}:\n{await stderr}\n{output}");
        return JsonNode.Parse(output.Trim())!.AsObject();
    }
}
