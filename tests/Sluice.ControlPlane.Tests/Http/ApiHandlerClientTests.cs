using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Http;

/// <summary>The official KubernetesClient against the plane: the code path the controllers use.</summary>
public sealed class ApiHandlerClientTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private const string Group = "core.oam.dev";
    private const string Version = "v1beta1";
    private const string Plural = "approllouts";

    private static V1Deployment NewDeployment(string name, int replicas = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "nginx:1.25" }] },
            },
        },
    };

    private static Dictionary<string, object> NewRollout(string name, object? partition = null) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "AppRollout",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name },
        ["spec"] = new Dictionary<string, object>
        {
            ["targetAppRevisionName"] = "app-v2",
            ["sourceAppRevisionName"] = "app-v1",
            ["rolloutPlan"] = new Dictionary<string, object?>
            {
                ["rolloutStrategy"] = "IncreaseFirst",
                ["rolloutBatches"] = new[] { new Dictionary<string, object> { ["replicas"] = 1 }, new Dictionary<string, object> { ["replicas"] = "50%" } },
                ["batchPartition"] = partition ?? 0,
            },
        },
    };

    [Fact]
    public async Task TypedDeployment_CreateReadReplaceDelete_RoundTrips()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("typed");

        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("web", 2), ns);
        created.Metadata.Uid.ShouldNotBeNullOrEmpty();
        created.Metadata.Generation.ShouldBe(1);

        var read = await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        read.Spec.Replicas.ShouldBe(2);
        read.Spec.Template.Spec.Containers[0].Image = "nginx:1.26";
        var replaced = await client.AppsV1.ReplaceNamespacedDeploymentAsync(read, "web", ns);
        replaced.Metadata.Generation.ShouldBe(2);
        long.Parse(replaced.Metadata.ResourceVersion).ShouldBeGreaterThan(long.Parse(created.Metadata.ResourceVersion));

        var list = await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: "app=web");
        list.Items.Select(d => d.Metadata.Name).ShouldBe(["web"]);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", ns);
        var gone = await Should.ThrowAsync<HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", ns));
        gone.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GenericAppRollout_CreateGetPatchListDelete_RoundTrips()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("generic");

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(NewRollout("r1"), Group, Version, ns, Plural);
        var got = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, Plural, "r1");
        got.GetProperty("spec").GetProperty("targetAppRevisionName").GetString().ShouldBe("app-v2");

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"rolloutPlan":{"batchPartition":1}}}""", V1Patch.PatchType.MergePatch), Group, Version, ns, Plural, "r1");
        var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, ns, Plural);
        var item = list.GetProperty("items").EnumerateArray().Single();
        item.GetProperty("spec").GetProperty("rolloutPlan").GetProperty("batchPartition").GetInt32().ShouldBe(1);
        item.GetProperty("metadata").GetProperty("generation").GetInt64().ShouldBe(2);

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, "r1");
        var empty = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, ns, Plural);
        empty.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Watch_ResumedFromAResourceVersion_MissesNothing()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("resume");
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c0" } }, ns);
        var resumeFrom = first.Metadata.ResourceVersion;
        // Changes made while nobody watches: a resumed watch must replay every one, in order.
        for (var i = 1; i <= 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"c{i}" } }, ns);
        }
        await client.CoreV1.DeleteNamespacedConfigMapAsync("c0", ns);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: resumeFrom, cancellationToken: cancel.Token))
        {
            seen.Add($"{type} {item.Metadata.Name}");
            if (seen.Count == 6)
            {
                break;
            }
        }

        seen.ShouldBe(["Added c1", "Added c2", "Added c3", "Added c4", "Added c5", "Deleted c0"]);
    }

    [Fact]
    public async Task Update_WithAStaleResourceVersion_Gets409Conflict()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("stale");
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("web"), ns);
        created.Spec.Replicas = 3;
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", ns);

        created.Spec.Replicas = 4;
        var conflict = await Should.ThrowAsync<HttpOperationException>(() => client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", ns));

        conflict.Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        conflict.Response.Content.ShouldContain("the object has been modified; please apply your changes to the latest version and try again");
        (await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas.ShouldBe(3);
    }

    [Fact]
    public async Task Watch_FromAResourceVersionOlderThanTheHistory_Gets410Gone()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("gone");
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "old" } }, ns);
        // The fixture keeps 200 changes of history; push the first one out of it.
        for (var i = 0; i < 210; i++)
        {
            await client.CoreV1.PatchNamespacedConfigMapAsync(
                new V1Patch("{\"data\":{\"n\":\"" + i + "\"}}", V1Patch.PatchType.MergePatch), "old", ns);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // KubernetesClient hands a watch's ERROR event (a Status) to onError as a KubernetesException.
        Exception? reported = null;
        var events = 0;
        await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: first.Metadata.ResourceVersion,
            onError: e => reported = e, cancellationToken: cancel.Token))
        {
            events++;
        }

        events.ShouldBe(0);
        var error = reported.ShouldBeOfType<KubernetesException>();
        error.Status.Code.ShouldBe(410);
        error.Status.Reason.ShouldBe("Expired");
        error.Status.Message.ShouldStartWith("too old resource version");
    }

    [Fact]
    public async Task StatusAndSpecWrites_EachChangeOnlyTheirPart_AndGenerationFollowsSpec()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("status");
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("web", 2), ns);

        // A status write that also tries to change the spec: only the status changes.
        created.Status = new V1DeploymentStatus { Replicas = 2, ReadyReplicas = 1, ObservedGeneration = 1 };
        created.Spec.Replicas = 9;
        var afterStatus = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "web", ns);
        afterStatus.Spec.Replicas.ShouldBe(2);
        afterStatus.Status.ReadyReplicas.ShouldBe(1);
        afterStatus.Metadata.Generation.ShouldBe(1);

        // A spec write that also tries to change the status: only the spec changes; generation moves.
        afterStatus.Spec.Replicas = 5;
        afterStatus.Status.ReadyReplicas = 7;
        var afterSpec = await client.AppsV1.ReplaceNamespacedDeploymentAsync(afterStatus, "web", ns);
        afterSpec.Spec.Replicas.ShouldBe(5);
        afterSpec.Status.ReadyReplicas.ShouldBe(1);
        afterSpec.Metadata.Generation.ShouldBe(2);

        // A metadata-only change does not move generation.
        afterSpec.Metadata.Labels["extra"] = "yes";
        var afterLabel = await client.AppsV1.ReplaceNamespacedDeploymentAsync(afterSpec, "web", ns);
        afterLabel.Metadata.Generation.ShouldBe(2);

        // The scale subresource reads and writes spec.replicas.
        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", ns);
        scale.Spec.Replicas.ShouldBe(5);
        scale.Status.Selector.ShouldBe("app=web");
        scale.Spec.Replicas = 6;
        await client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", ns);
        var scaled = await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        scaled.Spec.Replicas.ShouldBe(6);
        scaled.Metadata.Generation.ShouldBe(3);
    }

    [Fact]
    public async Task CustomResourceStatus_WritesThroughTheSubresourceOnly()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("crstatus");
        var withStatus = NewRollout("r1");
        withStatus["status"] = new Dictionary<string, object> { ["rollingState"] = "rolloutSucceed" };
        var created = (JsonElement)await client.CustomObjects.CreateNamespacedCustomObjectAsync(withStatus, Group, Version, ns, Plural);
        created.TryGetProperty("status", out _).ShouldBeFalse("create must not set status");

        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"rollingState":"rollingInBatches","currentBatch":1},"spec":{"targetAppRevisionName":"ignored"}}""", V1Patch.PatchType.MergePatch),
            Group, Version, ns, Plural, "r1");
        var got = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, Plural, "r1");

        got.GetProperty("status").GetProperty("rollingState").GetString().ShouldBe("rollingInBatches");
        got.GetProperty("spec").GetProperty("targetAppRevisionName").GetString().ShouldBe("app-v2");
        got.GetProperty("metadata").GetProperty("generation").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task DeleteOwner_InTheBackground_RemovesItsDependents()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("gc");
        var owner = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("owner"), ns);
        var reference = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true, Controller = true };
        await client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "owner-1", OwnerReferences = [reference] },
            Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "owner" } } },
        }, ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "unowned" } }, ns);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns, propagationPolicy: "Background");

        (await Eventually.HoldsAsync(async () => (await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Count == 0)).ShouldBeTrue();
        (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(c => c.Metadata.Name).ShouldBe(["unowned"]);
    }

    [Fact]
    public async Task DeleteOwner_InTheForeground_WaitsForItsDependents()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("fg");
        var owner = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("owner"), ns);
        var reference = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true, Controller = true };
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new() { Name = "held", OwnerReferences = [reference], Finalizers = ["example.com/hold"] },
        }, ns);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns, propagationPolicy: "Foreground");

        (await Eventually.HoldsAsync(async () =>
            (await client.CoreV1.ReadNamespacedConfigMapAsync("held", ns)).Metadata.DeletionTimestamp is not null)).ShouldBeTrue();
        var waiting = await client.AppsV1.ReadNamespacedDeploymentAsync("owner", ns);
        waiting.Metadata.DeletionTimestamp.ShouldNotBeNull();
        waiting.Metadata.Finalizers.ShouldContain("foregroundDeletion");

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns);

        (await Eventually.HoldsAsync(async () => (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Count == 0)).ShouldBeTrue();
    }

    [Fact]
    public async Task DeleteOwner_Orphaning_KeepsDependentsWithoutTheReference()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("orphan");
        var owner = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("owner"), ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new()
            {
                Name = "kept",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "owner", Uid = owner.Metadata.Uid }],
            },
        }, ns);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns, propagationPolicy: "Orphan");

        (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.ShouldBeEmpty();
        await Task.Delay(300);
        var kept = await client.CoreV1.ReadNamespacedConfigMapAsync("kept", ns);
        kept.Metadata.OwnerReferences.ShouldBeNull();
    }

    [Fact]
    public async Task CreateDependent_AfterItsOwnerWasDeleted_IsCollected()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("late");
        var owner = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("owner"), ns);
        await client.AppsV1.DeleteNamespacedDeploymentAsync("owner", ns);
        (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.ShouldBeEmpty();

        // A controller whose cache has not seen the deletion yet creates a dependent of the owner that is gone.
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new()
            {
                Name = "late",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "owner", Uid = owner.Metadata.Uid }],
            },
        }, ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "unowned" } }, ns);

        (await Eventually.HoldsAsync(async () => (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Count == 1)).ShouldBeTrue();
        (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Single().Metadata.Name.ShouldBe("unowned");
    }

    [Fact]
    public async Task Dependent_WithALivingAndAGoneOwner_LosesOnlyTheDanglingReference()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("dangling");
        var living = await client.AppsV1.CreateNamespacedDeploymentAsync(NewDeployment("living"), ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new()
            {
                Name = "shared",
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "living", Uid = living.Metadata.Uid },
                    new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "ghost", Uid = Guid.NewGuid().ToString() },
                ],
            },
        }, ns);

        (await Eventually.HoldsAsync(async () => (await client.CoreV1.ReadNamespacedConfigMapAsync("shared", ns)).Metadata.OwnerReferences.Count == 1)).ShouldBeTrue();
        (await client.CoreV1.ReadNamespacedConfigMapAsync("shared", ns)).Metadata.OwnerReferences.Single().Name.ShouldBe("living");
    }

    [Fact]
    public async Task CloneSetScale_ThroughTheCrdScaleSubresource_WritesSpecReplicas()
    {
        var ns = plane.Fresh("clone");
        var kubectl = plane.Kubectl;
        var apply = await kubectl.RunAsync(TimeSpan.FromSeconds(60), """
            apiVersion: apps.kruise.io/v1alpha1
            kind: CloneSet
            metadata: {name: metrics-provider}
            spec:
              replicas: 5
              selector: {matchLabels: {app: m}}
              template:
                metadata: {labels: {app: m}}
                spec: {containers: [{name: m, image: stefanprodan/podinfo:4.0.6}]}
              updateStrategy: {type: InPlaceIfPossible, partition: 3, paused: true}
            """, "apply", "-n", ns, "-f", "-");
        apply.ExitCode.ShouldBe(0, apply.Output);

        var scale = await kubectl.RunAsync("scale", "clone", "metrics-provider", "-n", ns, "--replicas=2");

        scale.ExitCode.ShouldBe(0, scale.Output);
        var result = await kubectl.RunAsync("get", "clone", "metrics-provider", "-n", ns, "-o", "jsonpath={.spec.replicas} {.spec.updateStrategy.partition} {.metadata.generation}");
        result.Stdout.ShouldBe("2 3 2");
    }

    [Fact]
    public async Task Create_WithGenerateName_GetsAUniqueNameAndDuplicatesGet409()
    {
        using var client = plane.Client();
        var ns = plane.Fresh("names");

        var a = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { GenerateName = "gen-" } }, ns);
        var b = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { GenerateName = "gen-" } }, ns);
        var duplicate = await Should.ThrowAsync<HttpOperationException>(() =>
            client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = a.Metadata.Name } }, ns));

        a.Metadata.Name.ShouldStartWith("gen-");
        a.Metadata.Name.ShouldNotBe(b.Metadata.Name);
        duplicate.Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        duplicate.Response.Content.ShouldContain("\"reason\":\"AlreadyExists\"");
    }

    [Fact]
    public async Task Create_InAMissingNamespace_Gets404()
    {
        using var client = plane.Client();

        var error = await Should.ThrowAsync<HttpOperationException>(() =>
            client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "x" } }, "no-such-namespace"));

        error.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.Response.Content.ShouldContain("namespaces \\\"no-such-namespace\\\" not found");
    }
}
