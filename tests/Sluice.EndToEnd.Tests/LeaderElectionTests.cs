using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Two `sluice controller` processes against one plane (itself a process): only the Lease's holder acts,
/// and when it dies the other takes over once the lease expires, and finishes what the first began.
/// </summary>
public class LeaderElectionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Controller_TwoProcessesAndTheLeaderKilledMidRollout_OnlyTheLeaderActsAndTheOtherFinishesAfterTheLease()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-leader-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (plane, kubeconfig) = await SluiceProcess.UpAsync(dataDir, "--no-controllers", "--pod-ready-delay", "400ms..700ms");
            using var planeProcess = plane;
            var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var kubectl = new Kubectl(kubeconfig);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await using var cloneSets = await ObjectHistory.WatchAsync(api, ResourceKind.CloneSet);
            var plan = new PlannedRollout(0, 6, [1, 1, 2, 2], null, Partitioned: false);

            // Given controller ctl-a holds the lease, and ctl-b, started after it, stands by
            var (portA, portB) = (FreePort(), FreePort());
            using var a = StartController(kubeconfig, "ctl-a", portA);
            await WaitForHolderAsync(api, "ctl-a", TimeSpan.FromSeconds(60), a);
            using var b = StartController(kubeconfig, "ctl-b", portB);
            await Eventually.WaitUntilAsync(async () => await ReadyzAsync(http, portB) == "candidate", TimeSpan.FromSeconds(60), () => $"ctl-b to stand by:\n{b.Stderr}");
            (await ReadyzAsync(http, portA)).ShouldBe("leading");

            // When an application and a rollout of 6 pods in 4 batches are applied
            await kubectl.RunAsync("apply", "-f", RepoPaths.KubeVela("clonesetDefinition.yaml"));
            var manifest = Path.Combine(dataDir, "leader.yaml");
            await File.WriteAllTextAsync(manifest, plan.ApplicationYaml(PlannedRollout.V1Image) + plan.ScaleRolloutYaml());
            await kubectl.RunAsync("apply", "-f", manifest);

            // Then ctl-a rolls it while ctl-b only stands by
            JsonNode? status = null;
            await Diagnose(kubectl, () => Eventually.WaitUntilAsync(async () => (status = await StatusAsync(api, plan))?["currentBatch"]?.GetValue<int>() >= 1, TimeSpan.FromSeconds(60),
                () => $"the rollout to reach batch 2; its status is {status?.ToJsonString()}\nthe plane said:\n{plane.Stderr}\nctl-a said:\n{a.Stderr}\nctl-b said:\n{b.Stderr}\nthe CloneSet: {string.Join("\n", cloneSets.States.TakeLast(5).Select(s => s.Objects.GetValueOrDefault(plan.Component)?.ToJsonString()))}"));
            status!["rollingState"]!.GetValue<string>().ShouldBe("rollingInBatches", "the rollout must still be under way when the leader dies");
            (await ReadyzAsync(http, portB)).ShouldBe("candidate");
            b.Said("is the leader").ShouldBeFalse(b.Stderr);

            // When ctl-a is SIGKILLed mid-rollout (every Event on the rollout so far is ctl-a's)
            a.Kill();
            var killed = Stopwatch.StartNew();
            var lastRenewal = Time((await LeaseAsync(api))!, "renewTime");
            var before = await RolloutEventsAsync(api, plan);
            before.ShouldNotBeEmpty();
            before.Select(e => e.Instance).Distinct().ShouldBe(["ctl-a"], "while both ran, only the leader acted: " + string.Join('\n', before));

            // Then ctl-b takes the lease only once ctl-a's expired, and soon after (it retries every fifth of the duration)
            await WaitForHolderAsync(api, "ctl-b", TimeSpan.FromSeconds(30), b);
            var handover = killed.Elapsed;
            var acquired = Time((await LeaseAsync(api))!, "acquireTime");
            output.WriteLine($"ctl-b took over {handover.TotalSeconds:F2}s after the kill; {(acquired - lastRenewal).TotalSeconds:F2}s after ctl-a's last renewal");
            (acquired - lastRenewal).ShouldBeGreaterThanOrEqualTo(LeaseDuration, "taken before the lease expired");
            (acquired - lastRenewal).ShouldBeLessThanOrEqualTo(LeaseDuration + TimeSpan.FromSeconds(2), "taken long after the lease expired");
            handover.ShouldBeLessThanOrEqualTo(LeaseDuration + TimeSpan.FromSeconds(2));

            // And the rollout ends under ctl-b, asking for exactly the planned targets in order
            await Eventually.WaitUntilAsync(async () => (await StatusAsync(api, plan))?["rollingState"]?.GetValue<string>() == "rolloutSucceed", TimeSpan.FromSeconds(60),
                () => $"the rollout to succeed under ctl-b:\n{b.Stderr}");
            b.HasExited.ShouldBeFalse();
            (await ReadyzAsync(http, portB)).ShouldBe("leading");
            var after = new List<(string Name, string Reason, string? Instance)>();
            await Eventually.WaitUntilAsync(async () => (after = (await RolloutEventsAsync(api, plan)).Except(before).ToList()).Any(e => e.Reason == "RolloutSucceeded"),
                TimeSpan.FromSeconds(10), () => $"the RolloutSucceeded event: {string.Join('\n', after)}");
            after.Select(e => e.Instance).Distinct().ShouldBe(["ctl-b"], string.Join('\n', after));
            await cloneSets.CatchUpAsync(api, ResourceKind.CloneSet);
            cloneSets.Errors.ShouldBeEmpty();
            cloneSets.Track(plan.Component, c => c["spec"]?["replicas"]?.GetValue<int>() ?? 0).ShouldBe(plan.ScaleTargets);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task Diagnose(Kubectl kubectl, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException e)
        {
            var (_, objects, _) = await kubectl.TryAsync("get", "clonesets,pods", "-o", "json");
            throw new TimeoutException(e.Message + "\nlive:\n" + objects, e);
        }
    }

    private static SluiceProcess StartController(string kubeconfig, string identity, int healthPort) =>
        SluiceProcess.Start(identity, "controller", "--kubeconfig", kubeconfig, "--identity", identity,
            "--lease-duration", $"{LeaseDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", "--health-port", healthPort.ToString(CultureInfo.InvariantCulture), "--verbose");

    private static Task<JsonObject?> LeaseAsync(IKubeApi api) => api.GetAsync(ResourceKind.Lease, "kube-system", "sluice-controller", CancellationToken.None);

    private static async Task WaitForHolderAsync(IKubeApi api, string identity, TimeSpan timeout, SluiceProcess process)
    {
        JsonObject? lease = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            lease = await LeaseAsync(api);
            return lease?["spec"]?["holderIdentity"]?.GetValue<string>() == identity;
        }, timeout, () => $"{identity} to hold the lease; it is {lease?["spec"]?.ToJsonString()}:\n{process.Stderr}");
    }

    private static DateTimeOffset Time(JsonObject lease, string field) =>
        DateTimeOffset.Parse(lease["spec"]![field]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static async Task<string?> ReadyzAsync(HttpClient http, int port)
    {
        try
        {
            return (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).Trim();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<JsonNode?> StatusAsync(IKubeApi api, PlannedRollout plan) =>
        (await api.GetAsync(ResourceKind.AppRollout, "default", plan.Rollout, CancellationToken.None))?["status"];

    /// <summary>The Events recorded on the rollout: which controller (reportingInstance) said what.</summary>
    private static async Task<List<(string Name, string Reason, string? Instance)>> RolloutEventsAsync(IKubeApi api, PlannedRollout plan)
    {
        var list = await api.ListAsync(ResourceKind.Event, "default", null, CancellationToken.None);
        return (list["items"] as JsonArray ?? [])
            .Where(e => e?["involvedObject"]?["kind"]?.GetValue<string>() == "AppRollout" && e["involvedObject"]?["name"]?.GetValue<string>() == plan.Rollout)
            .Select(e => (e!["metadata"]!["name"]!.GetValue<string>(), e["reason"]?.GetValue<string>() ?? "", e["reportingInstance"]?.GetValue<string>()))
            .ToList();
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
