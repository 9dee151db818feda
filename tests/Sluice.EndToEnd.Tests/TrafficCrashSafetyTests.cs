using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using Sluice.ControlPlane;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Simulator.Traffic;
using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// spec traffic.md's invariants under DESIGN.md's "a controller killed at any moment resumes from status": 10 weighted
/// canaries (through an HTTPRoute, a VirtualService or an NGINX Ingress, in turn) run while the controller, a process of
/// its own, is SIGKILLed at random moments and restarted (as in <see cref="CrashSafetyTests"/>); the plane, the simulator and
/// its data plane run in <c>sluice up</c>, whose <c>/traffic</c> report and the routes' history (watched through the API)
/// are then checked. Each controller leads 0.3 to 4 s before it is killed (a controller that starts on a loaded machine needs a
/// while to catch up with 10 rollouts before it does any work), so the canaries finish within the budget.
/// </summary>
public class TrafficCrashSafetyTests(ITestOutputHelper output)
{
    private const int Seed = 12_2026;
    private const int Apps = 10;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(1);

    /// <summary>Generous, as in <see cref="CrashSafetyTests"/>: the test judges order and outcome, never speed.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(360);

    /// <summary>The weights the plan asks for: the take-over's 0, then each batch's.</summary>
    private static readonly int[] Plan = [0, 10, 40, 100];

    /// <summary>Each weight held 8 s: the canaries outlast several kills on a fast machine too, and each weight carries enough requests to measure.</summary>
    private const string Batches = """
              - replicas: 1
                traffic: 10%
                pause: {duration: 8s}
              - replicas: 1
                traffic: 40%
                pause: {duration: 8s}
              - replicas: 3
        """;

    [Fact]
    public async Task Controller_SigkilledAtRandomMomentsDuring10WeightedCanaries_WeightsFollowThePlanAndNoRequestFails()
    {
        var clock = Stopwatch.StartNew();
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-traffic-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (plane, kubeconfig) = await SluiceProcess.UpAsync(dataDir, "--no-controllers", "--pod-ready-delay", "200ms..800ms");
            using var planeProcess = plane;
            var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var kubectl = new Kubectl(kubeconfig);
            using var http = new HttpClient();
            var trafficUrl = EndpointsFile.Read(dataDir)["traffic"];
            var apps = Enumerable.Range(0, Apps)
                .Select(i => new RoutedApp($"crash{i}", (i % 3) switch { 0 => Routers.HttpRoute, 1 => Routers.VirtualService, _ => Routers.Nginx }, Rps: 200))
                .ToList();
            await using var history = await RouteHistory.WatchAsync(api);

            // Given KubeVela's clonesetservice definition and 10 applications at v1, rolled out once by a plain AppRollout
            // (their pods carry the template hash), a controller running undisturbed for it
            await kubectl.RunAsync("apply", "-f", RepoPaths.KubeVela("clonesetDefinition.yaml"));
            await ApplyAsync(kubectl, dataDir, "v1", apps.Select(a => a.AppYaml(1) + a.RolloutYaml(null, 1, "      - replicas: 100%", routed: false)));
            using (var calm = SluiceProcess.Start("calm", "controller", "--kubeconfig", kubeconfig, "--lease-duration", "1s", "--identity", "calm"))
            {
                await WaitForSuccessAsync(api, apps, 1, null, Budget);

                // And each one's Service with clients, and its route; v2's revision made for each (by the same controller)
                await ApplyAsync(kubectl, dataDir, "routes", apps.Select(a => a.RoutingYaml()));
                await ApplyAsync(kubectl, dataDir, "v2", apps.Select(a => a.AppYaml(2)));
                foreach (var app in apps)
                {
                    await Eventually.WaitUntilAsync(async () => await api.GetAsync(ResourceKind.ApplicationRevision, "default", app.Revision(2), CancellationToken.None) is not null,
                        TimeSpan.FromSeconds(60), () => $"revision {app.Revision(2)}");
                }

                calm.Stop(TimeSpan.FromSeconds(10));
            }

            await SendAsync(http, trafficUrl, apps, 200);

            // When 10 weighted canaries (10%, 40%, all) run while the controller is SIGKILLed at random moments
            await using var chaos = new ControllerChaos(kubeconfig, Seed, LeaseDuration, leadingMs: (300, 4000));
            chaos.Start();
            await ApplyAsync(kubectl, dataDir, "canaries", apps.Select(a => a.RolloutYaml(1, 2, Batches)));

            // Then every canary succeeds
            await WaitForSuccessAsync(api, apps, 2, chaos, Budget);
            await chaos.StopAsync();
            output.WriteLine($"canaries done at {clock.Elapsed.TotalSeconds:F0}s; {chaos.Kills} kills, {chaos.KillsWhileLeading} while leading\n{string.Join('\n', chaos.Log)}");
            await SendAsync(http, trafficUrl, apps, 200);
            var report = TrafficReport.FromJson(await http.GetStringAsync(new Uri(trafficUrl)));
            await history.CatchUpAsync(api);

            // And the crashes were real, the controllers never died by themselves, and the routes' history is whole
            chaos.Failures.ShouldBeEmpty();
            chaos.KillsWhileLeading.ShouldBeGreaterThanOrEqualTo(3, string.Join('\n', chaos.Log));
            history.Errors.ShouldBeEmpty();
            foreach (var app in apps)
            {
                TrafficFigures.Print(output, report, app.Population, $"weights 10/40 under SIGKILL ({app.Routers})");
            }

            foreach (var app in apps)
            {
                // And no request failed because of the rollout: none was routed to a Service with no ready endpoint, none
                // found no route, every one was answered 2xx (the pods are healthy)
                var clients = report.Population("default", app.Name).ShouldNotBeNull($"the clients of {app.Name}");
                clients.Counts.Sent.ShouldBeGreaterThan(0);
                TrafficInvariants.NoRequestFailedByTheRollout(report, app.Population);

                // And traffic never reached a revision with no ready pod: where the route sent the target a share, its
                // requests were answered by it (a canary Service without ready pods would have answered 503, counted above)
                RouterInvariants.SharesFollowWeights(report, app, history, app.Revision(2), until: RouterInvariants.PinnedTo(history, app, Hash(await RolloutAsync(api, app))));

                // And every weight written is one the plan asked for, in order, ending at 100% before the routes were put back
                RouterInvariants.WeightsFollowThePlan(app, history, Plan);
                history.WeightSequence(app, app.Routers).ShouldContain(100, $"{app.Name}'s {app.Routers} never sent every request to v2");

                // And the route and the Service ended exactly as they began
                await EndAsTheyBeganAsync(api, app, history);
            }

            output.WriteLine($"checked at {clock.Elapsed.TotalSeconds:F0}s");
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

    private static string Hash(JsonObject rollout) => rollout["status"]!["targetGeneration"]!.GetValue<string>();

    private static async Task<JsonObject> RolloutAsync(IKubeApi api, RoutedApp app) =>
        (await api.GetAsync(ResourceKind.AppRollout, "default", app.Name, CancellationToken.None))!;

    /// <summary><see cref="RouterInvariants.EndAsTheyBeganAsync"/> through the API of the plane's process.</summary>
    private static async Task EndAsTheyBeganAsync(IKubeApi api, RoutedApp app, RouteHistory history)
    {
        TrafficInvariants.EndsAsItBegan(history.History(app.Routers), app.Name, r => new JsonArray(r["spec"]?.DeepClone(), r["metadata"]?["annotations"]?.DeepClone()));
        TrafficInvariants.EndsAsItBegan(history.Services, app.Name, s => new JsonArray(s["spec"]?.DeepClone(), s["metadata"]?["annotations"]?.DeepClone(), s["metadata"]?["labels"]?.DeepClone()));
        await Eventually.WaitUntilAsync(async () => await api.GetAsync(ResourceKind.Service, "default", app.Canary, CancellationToken.None) is null
            && await api.GetAsync(Sluice.Controllers.Traffic.TrafficKinds.Ingress, "default", app.Canary, CancellationToken.None) is null,
            TimeSpan.FromSeconds(30), () => $"the canary Service and Ingress of {app.Name} gone");
    }

    /// <summary>Waits until every app's clients sent <paramref name="requests"/> more (read from the running plane's /traffic).</summary>
    private static async Task SendAsync(HttpClient http, string url, IReadOnlyList<RoutedApp> apps, long requests)
    {
        async Task<Dictionary<string, long>> SentAsync()
        {
            var report = TrafficReport.FromJson(await http.GetStringAsync(new Uri(url)));
            return apps.ToDictionary(a => a.Name, a => report.Population("default", a.Name)?.Counts.Sent ?? 0);
        }

        var start = await SentAsync();
        await Eventually.WaitUntilAsync(async () => (await SentAsync()).All(s => s.Value >= start[s.Key] + requests), TimeSpan.FromSeconds(60),
            () => $"{requests} more requests from every app's clients");
    }

    private static async Task ApplyAsync(Kubectl kubectl, string dataDir, string name, IEnumerable<string> documents)
    {
        var file = Path.Combine(dataDir, name + ".yaml");
        await File.WriteAllTextAsync(file, string.Join("---\n", documents));
        await kubectl.RunAsync("apply", "-f", file);
    }

    private static async Task WaitForSuccessAsync(IKubeApi api, IReadOnlyList<RoutedApp> apps, int version, ControllerChaos? chaos, TimeSpan timeout)
    {
        var states = new Dictionary<string, string>();
        await Eventually.WaitUntilAsync(async () =>
        {
            var list = await api.ListAsync(ResourceKind.AppRollout, "default", null, CancellationToken.None);
            var byName = (list["items"] as JsonArray ?? []).ToDictionary(i => i!["metadata"]!["name"]!.GetValue<string>(), i => i!.AsObject());
            foreach (var app in apps)
            {
                var status = byName.GetValueOrDefault(app.Name)?["status"];
                states[app.Name] = $"{status?["rollingState"]} {status?["batchRollingState"]} batch {status?["currentBatch"]} of {status?["lastTargetAppRevision"]}";
                if (status?["rollingState"]?.GetValue<string>() == "rolloutFailed")
                {
                    throw new ShouldAssertException($"{app.Name} failed: {status.ToJsonString()}");
                }
            }

            return apps.All(a => byName.GetValueOrDefault(a.Name)?["status"] is { } s
                && s["rollingState"]?.GetValue<string>() == "rolloutSucceed"
                && s["lastTargetAppRevision"]?.GetValue<string>() == a.Revision(version));
        }, timeout, () => $"every rollout to succeed on v{version}:\n{string.Join('\n', states.Select(s => $"{s.Key}: {s.Value}"))}\n{string.Join('\n', chaos?.Log.TakeLast(10) ?? [])}\n{string.Join('\n', chaos?.Failures ?? [])}");
    }
}
