using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// DESIGN.md: "Crashes must not lose or repeat work: a controller killed at any moment resumes from status."
/// The plane and the simulator run as one process, the controller as another that is SIGKILLed at random
/// moments and restarted; the workloads' whole history, recorded through the API, is then checked.
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Seed = 6_2025;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Generous: a controller killed every few seconds spends much of its life starting up, and on a loaded machine
    /// more so. The test judges order and sizes, never speed; it only must end.
    /// </summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Controller_SigkilledAtRandomMoments_EveryRolloutAsksForExactlyThePlannedBatchesInOrder()
    {
        var clock = Stopwatch.StartNew();
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Pods slow enough that the rollouts outlast a good number of kills (each takes a process start and a 1 s lease).
            var (plane, kubeconfig) = await SluiceProcess.UpAsync(dataDir, "--no-controllers", "--pod-ready-delay", "1s..2s");
            using var planeProcess = plane;
            var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var kubectl = new Kubectl(kubeconfig);
            await using var cloneSets = await ObjectHistory.WatchAsync(api, ResourceKind.CloneSet);
            await using var pods = await ObjectHistory.WatchAsync(api, ResourceKind.Pod);
            var random = new Random(Seed);
            var plans = Enumerable.Range(0, 20).Select(i => PlannedRollout.Create(i, random, upgrade: i % 2 == 0, partitioned: i % 6 == 0)).ToList();
            output.WriteLine($"seed {Seed}:\n{string.Join('\n', plans)}");

            // Given KubeVela's clonesetservice definition, 20 applications and a scale-up rollout for each
            await kubectl.RunAsync("apply", "-f", RepoPaths.KubeVela("clonesetDefinition.yaml"));
            await ApplyAsync(kubectl, dataDir, "v1", plans.Select(p => p.ApplicationYaml(PlannedRollout.V1Image) + p.ScaleRolloutYaml()));

            // When a controller runs as its own process and is SIGKILLed at random moments, then restarted
            await using var chaos = new ControllerChaos(kubeconfig, Seed, LeaseDuration);
            chaos.Start();

            // Then every scale-up succeeds
            await WaitForSuccessAsync(api, plans, version: 1, chaos, Budget);
            output.WriteLine($"scale-ups done at {clock.Elapsed.TotalSeconds:F0}s");

            // When half the applications move to v2 with upgrade rollouts, some held at batchPartition 0
            var upgrades = plans.Where(p => p.UpgradeBatches is not null).ToList();
            await ApplyAsync(kubectl, dataDir, "v2", upgrades.Select(p => p.ApplicationYaml(PlannedRollout.V2Image) + p.UpgradeRolloutYaml()));

            // And some of the others are reverted mid-way (source and target swapped at a random batch: the emergency move)
            var reverted = upgrades.Where(p => !p.Partitioned).Where((_, i) => i % 2 == 0).ToList();
            var revertedAt = new Dictionary<string, (long Version, bool Midway)>();
            await Task.WhenAll(reverted.Select(async plan =>
            {
                var at = random.Next(0, plan.UpgradeTargets.Count - 1);
                var midway = await WaitForBatchAsync(api, plan, at, chaos);
                var swap = new JsonObject { ["spec"] = new JsonObject { ["sourceAppRevisionName"] = plan.Revision(2), ["targetAppRevisionName"] = plan.Revision(1) } };
                var patched = await api.MergePatchAsync(ResourceKind.AppRollout, "default", plan.Rollout, swap, null, CancellationToken.None);
                lock (revertedAt)
                {
                    revertedAt[plan.Component] = (long.Parse(patched["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), midway);
                }
            }));
            output.WriteLine($"reverted: {string.Join(", ", revertedAt.Select(r => $"{r.Key} at {r.Value.Version}{(r.Value.Midway ? " mid-way" : " (already done)")}"))}");

            // And each held one's partition is raised once it stands at batch 0 (still being killed meanwhile)
            var raisedAt = new Dictionary<string, long>();
            foreach (var plan in upgrades.Where(p => p.Partitioned))
            {
                await WaitForHoldAsync(api, plan, chaos);
                var patch = new JsonObject { ["spec"] = new JsonObject { ["rolloutPlan"] = new JsonObject { ["batchPartition"] = plan.UpgradeTargets.Count - 1 } } };
                var raised = await api.MergePatchAsync(ResourceKind.AppRollout, "default", plan.Rollout, patch, null, CancellationToken.None);
                raisedAt[plan.Component] = long.Parse(raised["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            }

            // Then every upgrade succeeds too, the reverted ones back on v1
            await WaitForSuccessAsync(api, upgrades.Except(reverted).ToList(), version: 2, chaos, Budget);
            await WaitForSuccessAsync(api, reverted, version: 1, chaos, Budget);
            await chaos.StopAsync();
            output.WriteLine($"upgrades done at {clock.Elapsed.TotalSeconds:F0}s; {chaos.Kills} kills, {chaos.KillsWhileLeading} while leading\n{string.Join('\n', chaos.Log)}");
            await cloneSets.CatchUpAsync(api, ResourceKind.CloneSet);
            await pods.CatchUpAsync(api, ResourceKind.Pod);

            // And the controllers never died by themselves, the crashes were real, and the history is whole
            chaos.Failures.ShouldBeEmpty();
            chaos.KillsWhileLeading.ShouldBeGreaterThanOrEqualTo(5, string.Join('\n', chaos.Log));
            cloneSets.Errors.ShouldBeEmpty();
            pods.Errors.ShouldBeEmpty();
            revertedAt.Values.Count(r => r.Midway).ShouldBeGreaterThan(0, "no revert landed mid-way");

            foreach (var plan in plans)
            {
                // And each workload was asked for exactly the planned targets, in order, none skipped or repeated
                cloneSets.Track(plan.Component, Replicas).ShouldBe(plan.ScaleTargets, $"{plan}: spec.replicas over time");
                AssertEachStepWaitedForTheLast(cloneSets, plan, c => Revision(c) == plan.Revision(1) ? Replicas(c) : -1, c => Int(c, "readyReplicas"));
                if (plan.UpgradeBatches is null)
                {
                    continue;
                }

                if (revertedAt.TryGetValue(plan.Component, out var revert))
                {
                    // A reverted one asked v2 for a prefix of its plan, then, once back on v1's template, only ever
                    // added pods to v1 (what was already there counted) until every pod ran v1 again
                    var asked = cloneSets.States.Where(s => s.Version < revert.Version && s.Objects.ContainsKey(plan.Component))
                        .Select(s => AskedUpgraded(s.Objects[plan.Component], plan)).Where(u => u >= 0).Distinct().ToList();
                    asked.ShouldBe(plan.UpgradeTargets.Take(asked.Count), $"{plan}: pods asked on v2 before the revert");
                    AssertNeverMoreUpgradedThanAsked(cloneSets, pods, plan, until: revert.Version);
                    AssertV1NeverShrinksOnceBack(cloneSets, pods, plan, revert.Version);
                    pods.States[^1].Objects.Values.Where(p => PodFacts.OwnedBy(p, plan.Component + "-"))
                        .ShouldAllBe(p => PodFacts.Image(p) == PlannedRollout.V1Image, $"{plan}: every pod back on v1");
                    continue;
                }

                cloneSets.Track(plan.Component, c => AskedUpgraded(c, plan)).Where(u => u >= 0).ShouldBe(plan.UpgradeTargets, $"{plan}: pods asked on v2 over time");
                AssertEachStepWaitedForTheLast(cloneSets, plan, c => AskedUpgraded(c, plan), c => Int(c, "updatedReadyReplicas"));
                AssertNeverMoreUpgradedThanAsked(cloneSets, pods, plan);
                if (raisedAt.TryGetValue(plan.Component, out var raised))
                {
                    // And a held rollout went no further than batch 0 until its partition was raised
                    cloneSets.States.Where(s => s.Version < raised && s.Objects.ContainsKey(plan.Component))
                        .Max(s => AskedUpgraded(s.Objects[plan.Component], plan)).ShouldBe(plan.UpgradeTargets[0], $"{plan}: before batchPartition was raised");
                }
            }

            output.WriteLine($"checked at {clock.Elapsed.TotalSeconds:F0}s");
        }
        finally
        {
            TryDelete(dataDir);
        }
    }

    /// <summary>
    /// The same for a kind Sluice has no adapter for: the made-up Widget of examples/custom-kind, driven through its
    /// WorkloadKind's paths (its size, and a partition counted from the bottom: spec.rollout.upgraded pods run the new
    /// template). Six Widgets are scaled up from nothing, then upgraded v1 to v2, while the controller is SIGKILLed.
    /// </summary>
    [Fact]
    public async Task Controller_SigkilledAtRandomMoments_DeclaredKindRolloutsAskForExactlyThePlannedBatchesInOrder()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-crash-widgets-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (plane, kubeconfig) = await SluiceProcess.UpAsync(dataDir, "--no-controllers", "--pod-ready-delay", "1s..2s");
            using var planeProcess = plane;
            var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var kubectl = new Kubectl(kubeconfig);
            var random = new Random(Seed + 1);
            var plans = Enumerable.Range(0, 6).Select(i => PlannedRollout.Create(i, random, upgrade: true, partitioned: false)).ToList();
            output.WriteLine($"seed {Seed + 1}:\n{string.Join('\n', plans)}");

            // Given the Widget's CRD, its WorkloadKind and component type, six Widget applications and a scale-up rollout for each
            await kubectl.RunAsync("apply", "-f", DeclaredKindRolloutTests.Example("01-widget-crd.yaml"), "-f", DeclaredKindRolloutTests.Example("02-workloadkind.yaml"),
                "-f", DeclaredKindRolloutTests.Example("03-widget-definition.yaml"));
            await Eventually.WaitUntilAsync(async () =>
            {
                try
                {
                    await api.ListAsync(DeclaredKindRolloutTests.Widget, "default", null, CancellationToken.None);
                    return true;
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), () => "the Widget CRD served");
            await using var widgets = await ObjectHistory.WatchAsync(api, DeclaredKindRolloutTests.Widget);
            await using var pods = await ObjectHistory.WatchAsync(api, ResourceKind.Pod);
            await ApplyAsync(kubectl, dataDir, "widgets-v1", plans.Select(p => WidgetApplicationYaml(p, PlannedRollout.V1Image) + WidgetRolloutYaml(p, null, 1, p.ScaleBatches)));

            // When a controller runs as its own process and is SIGKILLed at random moments, then restarted
            await using var chaos = new ControllerChaos(kubeconfig, Seed + 1, LeaseDuration);
            chaos.Start();

            // Then every scale-up succeeds; and when every Widget moves to v2, every upgrade does too
            try
            {
                await WaitForSuccessAsync(api, plans, version: 1, chaos, Budget, WidgetRollout, WidgetRevision);
            }
            catch (TimeoutException e)
            {
                var list = await api.ListAsync(DeclaredKindRolloutTests.Widget, "default", null, CancellationToken.None);
                var widgetStates = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(w =>
                    $"{w["metadata"]?["name"]} gen {w["metadata"]?["generation"]} spec {w["spec"]?["size"]} {w["spec"]?["rollout"]?.ToJsonString()} status {w["status"]?.ToJsonString()}");
                throw new TimeoutException($"{e.Message}\n{string.Join('\n', widgetStates)}", e);
            }

            await ApplyAsync(kubectl, dataDir, "widgets-v2", plans.Select(p => WidgetApplicationYaml(p, PlannedRollout.V2Image) + WidgetRolloutYaml(p, 1, 2, p.UpgradeBatches!)));
            try
            {
                await WaitForSuccessAsync(api, plans, version: 2, chaos, Budget, WidgetRollout, WidgetRevision);
            }
            catch (TimeoutException e)
            {
                // Where the Widgets stand, for the record: what they ask and what their controller counted.
                var list = await api.ListAsync(DeclaredKindRolloutTests.Widget, "default", null, CancellationToken.None);
                var widgetStates = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(w =>
                    $"{w["metadata"]?["name"]} gen {w["metadata"]?["generation"]} spec {w["spec"]?["size"]} {w["spec"]?["rollout"]?.ToJsonString()} status {w["status"]?.ToJsonString()}");
                throw new TimeoutException($"{e.Message}\n{string.Join('\n', widgetStates)}", e);
            }

            await chaos.StopAsync();
            output.WriteLine($"{chaos.Kills} kills, {chaos.KillsWhileLeading} while leading\n{string.Join('\n', chaos.Log)}");
            await widgets.CatchUpAsync(api, DeclaredKindRolloutTests.Widget);
            await pods.CatchUpAsync(api, ResourceKind.Pod);

            chaos.Failures.ShouldBeEmpty();
            chaos.KillsWhileLeading.ShouldBeGreaterThanOrEqualTo(2, string.Join('\n', chaos.Log));
            widgets.Errors.ShouldBeEmpty();
            pods.Errors.ShouldBeEmpty();
            foreach (var plan in plans)
            {
                // And each Widget was asked, on its own fields, for exactly the planned targets in order, each once the last was ready
                var name = WidgetComponent(plan);
                widgets.Track(name, w => Int(w, "spec", "size")).Where(r => r > 0).ShouldBe(plan.ScaleTargets, $"{plan}: spec.size over time");
                widgets.Track(name, w => WidgetAsked(w, plan)).Where(u => u > 0).ShouldBe(plan.UpgradeTargets, $"{plan}: spec.rollout.upgraded on v2 over time");
                JsonObject? previous = null;
                foreach (var (version, state) in widgets.States)
                {
                    if (!state.TryGetValue(name, out var current))
                    {
                        continue;
                    }

                    if (previous is not null && WidgetAsked(current, plan) > WidgetAsked(previous, plan) && WidgetAsked(previous, plan) > 0)
                    {
                        Int(previous, "status", "upgradedReadyPods").ShouldBeGreaterThanOrEqualTo(WidgetAsked(previous, plan),
                            $"{plan}: at resourceVersion {version} the rollout asked for {WidgetAsked(current, plan)} before {WidgetAsked(previous, plan)} were ready");
                    }

                    previous = current;
                }

                // And at no moment did more of its pods run v2 than it asked for then
                var at = 0;
                var history = widgets.States;
                foreach (var (version, state) in pods.States)
                {
                    while (at + 1 < history.Count && history[at + 1].Version <= version)
                    {
                        at++;
                    }

                    var upgraded = state.Values.Count(p => PodFacts.OwnedBy(p, name + "-") && PodFacts.Image(p) == PlannedRollout.V2Image);
                    var asked = history[at].Objects.TryGetValue(name, out var widget) ? WidgetAsked(widget, plan) : 0;
                    upgraded.ShouldBeLessThanOrEqualTo(Math.Max(0, asked), $"{plan}: pods on v2 at resourceVersion {version}");
                }
            }
        }
        finally
        {
            TryDelete(dataDir);
        }
    }

    private static string WidgetComponent(PlannedRollout plan) => $"widget-{plan.Index:D2}";

    private static string WidgetRollout(PlannedRollout plan) => $"widget-rollout-{plan.Index:D2}";

    private static string WidgetRevision(PlannedRollout plan, int version) => $"widget-app-{plan.Index:D2}-v{version}";

    private static int Int(JsonObject obj, string part, string path) =>
        path.Split('.').Aggregate(obj[part], (node, field) => node?[field])?.GetValue<int>() ?? 0;

    /// <summary>How many of the Widget's pods it asks to run v2 (spec.rollout.upgraded, counted from the bottom), or -1 while its template is not v2.</summary>
    private static int WidgetAsked(JsonObject widget, PlannedRollout plan) =>
        Revision(widget) == WidgetRevision(plan, 2) ? Int(widget, "spec", "rollout.upgraded") : -1;

    private static string WidgetApplicationYaml(PlannedRollout plan, string image) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: widget-app-{plan.Index:D2}
          annotations:
            "app.oam.dev/rollout-template": "true"
        spec:
          components:
            - name: {WidgetComponent(plan)}
              type: widget
              properties:
                image: {image}
                port: 8080
                replicas: {plan.Replicas}
        ---

        """;

    private static string WidgetRolloutYaml(PlannedRollout plan, int? source, int target, IReadOnlyList<int> batches) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: {WidgetRollout(plan)}
        spec:
        {(source is { } s ? $"  sourceAppRevisionName: {WidgetRevision(plan, s)}\n" : "")}  targetAppRevisionName: {WidgetRevision(plan, target)}
          componentList: ["{WidgetComponent(plan)}"]
          rolloutPlan:
            rolloutBatches:
        {string.Concat(batches.Select(b => $"      - replicas: {b}\n"))}---

        """;

    private static int Replicas(JsonObject cloneSet) => cloneSet["spec"]?["replicas"]?.GetValue<int>() ?? 0;

    private static int Partition(JsonObject cloneSet) => cloneSet["spec"]?["updateStrategy"]?["partition"]?.GetValue<int>() ?? 0;

    private static int Int(JsonObject cloneSet, string statusField) => cloneSet["status"]?[statusField]?.GetValue<int>() ?? 0;

    private static string? Revision(JsonObject cloneSet) => cloneSet["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>();

    /// <summary>How many pods the CloneSet asks to run v2 (replicas - partition), or -1 while its template is not v2.</summary>
    private static int AskedUpgraded(JsonObject cloneSet, PlannedRollout plan) =>
        Revision(cloneSet) == plan.Revision(2) ? Replicas(cloneSet) - Partition(cloneSet) : -1;

    private static async Task ApplyAsync(Kubectl kubectl, string dataDir, string label, IEnumerable<string> manifests)
    {
        var file = Path.Combine(dataDir, $"crash-{label}.yaml");
        await File.WriteAllTextAsync(file, string.Concat(manifests));
        await kubectl.RunAsync("apply", "-f", file);
    }

    private static Task WaitForSuccessAsync(IKubeApi api, IReadOnlyList<PlannedRollout> plans, int version, ControllerChaos chaos, TimeSpan timeout) =>
        WaitForSuccessAsync(api, plans, version, chaos, timeout, p => p.Rollout, (p, v) => p.Revision(v));

    private static async Task WaitForSuccessAsync(IKubeApi api, IReadOnlyList<PlannedRollout> plans, int version, ControllerChaos chaos, TimeSpan timeout,
        Func<PlannedRollout, string> rolloutOf, Func<PlannedRollout, int, string> revisionOf)
    {
        var states = new Dictionary<string, string>();
        await Eventually.WaitUntilAsync(async () =>
        {
            var list = await api.ListAsync(ResourceKind.AppRollout, "default", null, CancellationToken.None);
            var byName = (list["items"] as JsonArray ?? []).ToDictionary(i => i!["metadata"]!["name"]!.GetValue<string>(), i => i!.AsObject());
            foreach (var plan in plans)
            {
                var status = byName.GetValueOrDefault(rolloutOf(plan))?["status"];
                states[rolloutOf(plan)] = $"{status?["rollingState"]} {status?["batchRollingState"]} batch {status?["currentBatch"]} of {status?["lastTargetAppRevision"]}";
                if (status?["rollingState"]?.GetValue<string>() == "rolloutFailed")
                {
                    throw new ShouldAssertException($"{rolloutOf(plan)} failed: {status.ToJsonString()}");
                }
            }

            return plans.All(p => byName.GetValueOrDefault(rolloutOf(p))?["status"] is { } s
                && s["rollingState"]?.GetValue<string>() == "rolloutSucceed"
                && s["lastTargetAppRevision"]?.GetValue<string>() == revisionOf(p, version)
                && s["upgradedReadyReplicas"]?.GetValue<int>() == p.Replicas);
        }, timeout, () => $"every rollout to succeed on v{version}:\n{string.Join('\n', states.Select(s => $"{s.Key}: {s.Value}"))}\n{string.Join('\n', chaos.Log.TakeLast(10))}\n{string.Join('\n', chaos.Failures)}");
    }

    private static async Task WaitForHoldAsync(IKubeApi api, PlannedRollout plan, ControllerChaos chaos)
    {
        JsonNode? status = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            status = (await api.GetAsync(ResourceKind.AppRollout, "default", plan.Rollout, CancellationToken.None))?["status"];
            return status?["lastTargetAppRevision"]?.GetValue<string>() == plan.Revision(2)
                && status["rollingState"]?.GetValue<string>() == "rollingInBatches"
                && status["currentBatch"]?.GetValue<int>() == 0
                && status["batchRollingState"]?.GetValue<string>() == "batchReady";
        }, TimeSpan.FromSeconds(60), () => $"{plan.Rollout} to hold at batch 0; status {status?.ToJsonString()}\n{string.Join('\n', chaos.Log.TakeLast(10))}");
    }

    /// <summary>
    /// Waits until the upgrade stands at batch index <paramref name="batch"/> or later; true when that is mid-way, false
    /// when the rollout got past its batches first (the revert then comes after the fact).
    /// </summary>
    private static async Task<bool> WaitForBatchAsync(IKubeApi api, PlannedRollout plan, int batch, ControllerChaos chaos)
    {
        JsonNode? status = null;
        var midway = false;
        await Eventually.WaitUntilAsync(async () =>
        {
            status = (await api.GetAsync(ResourceKind.AppRollout, "default", plan.Rollout, CancellationToken.None))?["status"];
            if (status?["lastTargetAppRevision"]?.GetValue<string>() != plan.Revision(2))
            {
                return false;
            }

            var state = status["rollingState"]?.GetValue<string>();
            midway = state is "rollingInBatches" or "initializing" or "verifyingSpec";
            return (state == "rollingInBatches" && status["currentBatch"]?.GetValue<int>() >= batch) || state is "finalising" or "rolloutSucceed";
        }, TimeSpan.FromSeconds(90), () => $"{plan.Rollout} at batch {batch}; status {status?.ToJsonString()}\n{string.Join('\n', chaos.Log.TakeLast(10))}");
        return midway;
    }

    /// <summary>From the first moment after the revert that the CloneSet's template is v1 again, pods on v1 never became fewer.</summary>
    private static void AssertV1NeverShrinksOnceBack(ObjectHistory cloneSets, ObjectHistory pods, PlannedRollout plan, long revertedAt)
    {
        var back = cloneSets.States.FirstOrDefault(s => s.Version > revertedAt && s.Objects.TryGetValue(plan.Component, out var c) && Revision(c) == plan.Revision(1));
        back.Objects.ShouldNotBeNull($"{plan}: the CloneSet never went back to v1's template");
        var least = 0;
        foreach (var (version, state) in pods.States.Where(s => s.Version >= back.Version))
        {
            var onV1 = state.Values.Count(p => PodFacts.OwnedBy(p, plan.Component + "-") && PodFacts.Image(p) == PlannedRollout.V1Image);
            onV1.ShouldBeGreaterThanOrEqualTo(least, $"{plan}: pods on v1 at resourceVersion {version}, after the revert");
            least = onV1;
        }
    }

    /// <summary>Every time the asked-for count went up, what was asked before was already ready: the plan's pace.</summary>
    private static void AssertEachStepWaitedForTheLast(ObjectHistory history, PlannedRollout plan, Func<JsonObject, int> asked, Func<JsonObject, int> ready)
    {
        JsonObject? previous = null;
        foreach (var (version, state) in history.States)
        {
            if (!state.TryGetValue(plan.Component, out var current))
            {
                continue;
            }

            if (previous is not null && asked(current) > asked(previous) && asked(previous) > 0)
            {
                ready(previous).ShouldBeGreaterThanOrEqualTo(asked(previous),
                    $"{plan}: at resourceVersion {version} the rollout asked for {asked(current)} before {asked(previous)} were ready");
            }

            previous = current;
        }
    }

    /// <summary>At no moment did more of the CloneSet's pods run v2 than it asked for then.</summary>
    private static void AssertNeverMoreUpgradedThanAsked(ObjectHistory cloneSets, ObjectHistory pods, PlannedRollout plan, long until = long.MaxValue)
    {
        var workloads = cloneSets.States;
        var at = 0;
        foreach (var (version, state) in pods.States.Where(s => s.Version < until))
        {
            while (at + 1 < workloads.Count && workloads[at + 1].Version <= version)
            {
                at++;
            }

            var upgraded = state.Values.Count(p => PodFacts.OwnedBy(p, plan.Component + "-") && PodFacts.Image(p) == PlannedRollout.V2Image);
            var asked = workloads[at].Objects.TryGetValue(plan.Component, out var cloneSet) ? AskedUpgraded(cloneSet, plan) : 0;
            upgraded.ShouldBeLessThanOrEqualTo(Math.Max(0, asked), $"{plan}: pods on v2 at resourceVersion {version}");
        }
    }

    private static void TryDelete(string dataDir)
    {
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
