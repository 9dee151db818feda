using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Core.Api;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// <c>sluice demo</c>, the README's main command, as a user runs it (the built binary), with its plane watched from outside
/// through the kubeconfig it prints: every act ends as it says, the canary's route carries the weights of its plan, and the
/// bad version's analysis fails its first batch and puts traffic back on the source before its pod.
/// </summary>
public partial class DemoTests
{
    private const string Route = "metrics-provider";

    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Demo_WithPrometheus_PlaysEveryActAndReportsTheTimeToTrafficBack()
    {
        await PrometheusInstall.EnsureAsync();
        using var demo = DemoRun.Start("demo", "--examples", Path.Combine(RepoPaths.Root, "examples"));
        var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(await demo.KubeconfigAsync()));
        await using var routes = await ObjectHistory.WatchAsync(api, TrafficKinds.HttpRoute);
        await using var pods = await ObjectHistory.WatchAsync(api, ResourceKind.Pod);
        await using var runs = await ObjectHistory.WatchAsync(api, AnalysisKinds.AnalysisRun);

        var code = await demo.ExitAsync();
        var output = demo.Stdout;
        code.ShouldBe(0, output + demo.Stderr);

        // Every act, the seed's three and the two new ones, ended as the demo said it would
        output.ShouldContain("prometheus at http://127.0.0.1:");
        AsExpected().Matches(output).Count.ShouldBe(5, output);
        output.ShouldContain("[4/5] v2 -> v4 as a canary through an HTTPRoute");
        output.ShouldContain("[5/5] v4 -> a bad v5");

        // The canary's route carried 10% then 50% then all of the requests to v4, then 20% to v5 and back to none
        static int Weight(JsonObject route) => HttpRouteRules.Read(route["spec"]?["rules"] as JsonArray ?? [], Route, Route + "-canary", "default").Weight;
        var written = WrittenWeights.Sequence(routes, Route, Weight);
        written.Where(w => w > 0).ShouldBe([10, 50, 100, 20], string.Join(", ", written));
        written[^1].ShouldBe(0);

        // And the live share per revision was shown while it ran
        LiveShare().IsMatch(output).ShouldBeTrue(output);

        // The bad version's run failed at its first batch on a measured success rate below the template's 99
        var run = SluiceJson.Deserialize<AnalysisRun>(runs.States[^1].Objects.Values.ShouldHaveSingleItem());
        run.Spec.Variables!["targetRevision"].ShouldBe("test-rolling-v5");
        run.Status!.Phase.ShouldBe(AnalysisPhase.Failed);
        var failed = run.Status.Metric("success-rate")!.Measurements!.Where(m => m.Phase == AnalysisPhase.Failed).ToList();
        failed.ShouldNotBeEmpty();
        failed.ShouldAllBe(m => m.Value!.GetValue<double>() < 99);
        output.ShouldContain("why: AnalysisFailed:");

        // Traffic went back to v4 (the route's last write of weight 0) before any pod left v5's image
        var back = routes.States.Where(s => s.Objects.TryGetValue(Route, out var r) && r["metadata"]?["annotations"]?[TrafficMarks.Original] is not null)
            .SkipWhile(s => Weight(s.Objects[Route]) != 20).First(s => Weight(s.Objects[Route]) == 0).Version;
        var onV5 = pods.States.SkipWhile(s => !s.Objects.Values.Any(OnV5)).ToList();
        onV5.ShouldNotBeEmpty("no pod ever ran v5");
        var podsBack = onV5.First(s => !s.Objects.Values.Any(OnV5)).Version;
        back.ShouldBeLessThan(podsBack, "the route must send nothing to v5 before its pod goes back to v4");

        // And the demo printed the figure issue 13 asks for, in the line a bench reads
        var figure = Figure().Match(output);
        figure.Success.ShouldBeTrue(output);
        var seconds = double.Parse(figure.Groups[1].Value, CultureInfo.InvariantCulture);
        seconds.ShouldBeGreaterThan(0);
        output.ShouldContain($"traffic back on test-rolling-v4 {figure.Groups[1].Value}s after test-rolling-v5's first batch began; traffic went back");
    }

    private static bool OnV5(JsonObject pod) =>
        (pod["spec"]?["containers"] as JsonArray)?.Any(c => c?["image"]?.GetValue<string>() == "stefanprodan/podinfo:6.2.0") == true;

    [GeneratedRegex(@"-> rollout(Succeed|Failed), as expected")]
    private static partial Regex AsExpected();

    [GeneratedRegex(@"live share: test-rolling-v2 \d+%, test-rolling-v4 \d+%")]
    private static partial Regex LiveShare();

    [GeneratedRegex(@"^Time to traffic back: (\d+\.\d)s from a bad version's first batch", RegexOptions.Multiline)]
    private static partial Regex Figure();

    /// <summary>The built demo as a child process, its stdout kept line by line; disposing stops it (SIGTERM, then kill).</summary>
    private sealed class DemoRun : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder stdout = new();
        private readonly StringBuilder stderr = new();
        private readonly TaskCompletionSource<string> kubeconfig = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private DemoRun(Process process)
        {
            this.process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    kubeconfig.TrySetException(new InvalidOperationException("the demo ended before it printed its kubeconfig: " + Stdout + Stderr));
                    return;
                }

                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }

                if (e.Data.IndexOf("export KUBECONFIG=", StringComparison.Ordinal) is >= 0 and var at)
                {
                    kubeconfig.TrySetResult(e.Data[(at + "export KUBECONFIG=".Length)..].TrimEnd(')'));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Stdout
        {
            get
            {
                lock (stdout)
                {
                    return stdout.ToString();
                }
            }
        }

        public string Stderr
        {
            get
            {
                lock (stderr)
                {
                    return stderr.ToString();
                }
            }
        }

        public static DemoRun Start(params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(RepoPaths.SluiceDll);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["NO_COLOR"] = "1";
            return new DemoRun(Process.Start(start) ?? throw new InvalidOperationException("sluice demo did not start"));
        }

        public async Task<string> KubeconfigAsync() => await kubeconfig.Task.WaitAsync(TimeSpan.FromSeconds(60));

        public async Task<int> ExitAsync()
        {
            using var timeout = new CancellationTokenSource(Ceiling);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"sluice demo did not finish within {Ceiling}: {Stdout}{Stderr}");
            }

            return process.ExitCode;
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            process.Dispose();
        }
    }
}
