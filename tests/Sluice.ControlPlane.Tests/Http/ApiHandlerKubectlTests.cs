using System.Text;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Http;

/// <summary>kubectl (a client nobody here wrote) against the plane, through the generated kubeconfig.</summary>
public sealed class ApiHandlerKubectlTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.25
                ports:
                - containerPort: 80
                env:
                - name: MODE
                  value: blue
        """;

    private Kubectl Kubectl => plane.Kubectl;

    [Fact]
    public async Task Apply_EachSeedManifest_IsAccepted()
    {
        var ns = plane.Fresh("seed");
        var files = Directory.GetFiles(RepoPaths.Seed, "*.yaml").Order(StringComparer.Ordinal).ToList();
        files.Count.ShouldBe(5);
        foreach (var file in files)
        {
            var result = await Kubectl.RunAsync("apply", "-n", ns, "-f", file);
            result.ExitCode.ShouldBe(0, result.Output);
            result.Stdout.ShouldMatch(@"(created|configured)");
        }
        var definition = await Kubectl.RunAsync("apply", "-f", Path.Combine(RepoPaths.ThirdParty, "kubevela", "clonesetDefinition.yaml"));
        definition.ExitCode.ShouldBe(0, definition.Output);
        var listed = await Kubectl.RunAsync("get", "app,approllout", "-n", ns, "-o", "name");
        listed.Stdout.ShouldContain("application.core.oam.dev/test-rolling");
        listed.Stdout.ShouldContain("approllout.core.oam.dev/rolling-example");
        var partition = await Kubectl.RunAsync("get", "approllout", "rolling-example", "-n", ns, "-o", "jsonpath={.spec.rolloutPlan.batchPartition}");
        partition.Stdout.ShouldBe("1");
    }

    [Fact]
    public async Task Apply_PlainDeployment_CreatesIt()
    {
        var ns = plane.Fresh("deploy");
        var result = await Kubectl.RunAsync(TimeSpan.FromSeconds(60), Deployment, "apply", "-n", ns, "-f", "-");
        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.ShouldContain("deployment.apps/web created");
        var table = await Kubectl.RunAsync("get", "deploy", "-n", ns);
        table.Stdout.ShouldMatch(@"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE");
        table.Stdout.ShouldMatch(@"web\s+0/2\s+0\s+0\s+\d+s");
    }

    [Fact]
    public async Task Get_AppRollout_ShowsPrinterColumns()
    {
        var ns = plane.Fresh("columns");
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Path.Combine(RepoPaths.Seed, "02-rollout-to-v1.yaml"))).ExitCode.ShouldBe(0);
        var status = await Kubectl.RunAsync("patch", "approllout", "rolling-example", "-n", ns, "--subresource", "status", "--type", "merge",
            "-p", """{"status":{"upgradedReplicas":3,"upgradedReadyReplicas":2,"batchRollingState":"batchInRolling","rollingState":"rollingInBatches"}}""");
        status.ExitCode.ShouldBe(0, status.Output);

        var result = await Kubectl.RunAsync("get", "approllout", "-n", ns);

        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.ShouldMatch(@"NAME\s+TARGET\s+UPGRADED\s+READY\s+BATCH-STATE\s+ROLLING-STATE\s+AGE");
        result.Stdout.ShouldMatch(@"rolling-example\s+test-rolling-v1\s+3\s+2\s+batchInRolling\s+rollingInBatches\s+\d+s");
    }

    [Fact]
    public async Task GetYaml_Deployment_PrintsTheStoredObject()
    {
        var ns = plane.Fresh("yaml");
        (await Kubectl.RunAsync(TimeSpan.FromSeconds(60), Deployment, "apply", "-n", ns, "-f", "-")).ExitCode.ShouldBe(0);

        var result = await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "-o", "yaml");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.ShouldContain("kind: Deployment");
        result.Stdout.ShouldContain("image: nginx:1.25");
        result.Stdout.ShouldContain($"namespace: {ns}");
        result.Stdout.ShouldMatch(@"uid: [0-9a-f-]{36}");
        result.Stdout.ShouldContain("generation: 1");
    }

    [Fact]
    public async Task GetWatch_ConfigMapChanges_PrintsTheChange()
    {
        var ns = plane.Fresh("watch");
        (await Kubectl.RunAsync(TimeSpan.FromSeconds(60), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: '1'}\n",
            "apply", "-n", ns, "-f", "-")).ExitCode.ShouldBe(0);
        using var watch = Kubectl.Start("get", "cm", "-n", ns, "-w", "-o", "custom-columns=NAME:.metadata.name,A:.data.a", "--request-timeout=30s");
        var seen = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            while (await watch.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (seen)
                {
                    seen.AppendLine(line);
                }
            }
        });
        try
        {
            (await Eventually.HoldsAsync(() => Task.FromResult(Snapshot(seen).Contains("watched"))))
                .ShouldBeTrue("the watch did not list the config map: " + Snapshot(seen));

            (await Kubectl.RunAsync("patch", "cm", "watched", "-n", ns, "--type", "merge", "-p", """{"data":{"a":"changed-2"}}""")).ExitCode.ShouldBe(0);

            (await Eventually.HoldsAsync(() => Task.FromResult(Snapshot(seen).Contains("changed-2"))))
                .ShouldBeTrue("the watch did not print the change: " + Snapshot(seen));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Patch_MergeJsonAndStrategic_EachChangesTheDeployment()
    {
        var ns = plane.Fresh("patch");
        (await Kubectl.RunAsync(TimeSpan.FromSeconds(60), Deployment, "apply", "-n", ns, "-f", "-")).ExitCode.ShouldBe(0);

        var merge = await Kubectl.RunAsync("patch", "deploy", "web", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":3}}""");
        var json = await Kubectl.RunAsync("patch", "deploy", "web", "-n", ns, "--type", "json",
            "-p", """[{"op":"add","path":"/metadata/labels/tier","value":"front"}]""");
        var strategic = await Kubectl.RunAsync("patch", "deploy", "web", "-n", ns, "--type", "strategic",
            "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27","env":[{"name":"EXTRA","value":"x"}]}]}}}}""");

        merge.ExitCode.ShouldBe(0, merge.Output);
        json.ExitCode.ShouldBe(0, json.Output);
        strategic.ExitCode.ShouldBe(0, strategic.Output);
        var result = await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "-o",
            "jsonpath={.spec.replicas} {.metadata.labels.tier} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name} {.metadata.generation}");
        // The strategic patch merged the env list by name and kept the container's ports.
        result.Stdout.ShouldBe("3 front nginx:1.27 MODE EXTRA 3");
    }

    [Fact]
    public async Task Apply_SameFileTwiceThenModified_ReportsUnchangedThenConfigured()
    {
        var ns = plane.Fresh("apply");
        var file = Path.Combine(plane.DataDir, $"deploy-{ns}.yaml");
        await File.WriteAllTextAsync(file, Deployment);

        var first = await Kubectl.RunAsync("apply", "-n", ns, "-f", file);
        var second = await Kubectl.RunAsync("apply", "-n", ns, "-f", file);
        await File.WriteAllTextAsync(file, Deployment.Replace("nginx:1.25", "nginx:1.26", StringComparison.Ordinal)
            .Replace("\n        env:\n        - name: MODE\n          value: blue", "", StringComparison.Ordinal));
        var third = await Kubectl.RunAsync("apply", "-n", ns, "-f", file);

        first.Stdout.ShouldContain("deployment.apps/web created");
        second.Stdout.ShouldContain("deployment.apps/web unchanged");
        third.Stdout.ShouldContain("deployment.apps/web configured");
        var result = await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}|{.spec.template.spec.containers[0].env}|{.metadata.generation}");
        result.Stdout.ShouldBe("nginx:1.26||2");
    }

    [Fact]
    public async Task ApplyServerSide_CreateThenChange_ServerSideApplied()
    {
        var ns = plane.Fresh("ssa");
        var first = await Kubectl.RunAsync(TimeSpan.FromSeconds(60), Deployment, "apply", "--server-side", "-n", ns, "-f", "-");
        var second = await Kubectl.RunAsync(TimeSpan.FromSeconds(60), Deployment.Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal),
            "apply", "--server-side", "-n", ns, "-f", "-");

        first.ExitCode.ShouldBe(0, first.Output);
        first.Stdout.ShouldContain("deployment.apps/web serverside-applied");
        second.ExitCode.ShouldBe(0, second.Output);
        var result = await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "--show-managed-fields", "-o",
            "jsonpath={.spec.replicas} {.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}");
        result.Stdout.ShouldBe("5 kubectl Apply");
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizer_ReturnsOnlyOnceTheFinalizerIsRemoved()
    {
        var ns = plane.Fresh("finalizer");
        (await Kubectl.RunAsync(TimeSpan.FromSeconds(60),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\ndata: {a: b}\n",
            "apply", "-n", ns, "-f", "-")).ExitCode.ShouldBe(0);

        var delete = Kubectl.RunAsync(TimeSpan.FromSeconds(60), null, "delete", "cm", "held", "-n", ns);
        (await Eventually.HoldsAsync(async () =>
            (await Kubectl.RunAsync("get", "cm", "held", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp}")).Stdout.Length > 0))
            .ShouldBeTrue();
        await Task.Delay(500);
        delete.IsCompleted.ShouldBeFalse("kubectl delete returned while the finalizer was still there");

        (await Kubectl.RunAsync("patch", "cm", "held", "-n", ns, "--type", "json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""")).ExitCode.ShouldBe(0);

        var result = await delete;
        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.ShouldContain("configmap \"held\" deleted");
        (await Kubectl.RunAsync("get", "cm", "held", "-n", ns)).Stderr.ShouldContain("NotFound");
    }

    [Fact]
    public async Task ApiResources_Always_ListsTheProjectKinds()
    {
        var result = await Kubectl.RunAsync("api-resources");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.ShouldMatch(@"approllouts\s+approllout\s+core.oam.dev/v1beta1\s+true\s+AppRollout");
        result.Stdout.ShouldMatch(@"applications\s+app\s+core.oam.dev/v1beta1\s+true\s+Application");
        result.Stdout.ShouldMatch(@"applicationrevisions\s+apprev\s+core.oam.dev/v1beta1\s+true\s+ApplicationRevision");
        result.Stdout.ShouldMatch(@"componentdefinitions\s+comp,def\s+core.oam.dev/v1beta1\s+true\s+ComponentDefinition");
        result.Stdout.ShouldMatch(@"clonesets\s+clone\s+apps.kruise.io/v1alpha1\s+true\s+CloneSet");
        result.Stdout.ShouldMatch(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment");
    }

    [Fact]
    public async Task Explain_AppRolloutPlan_DescribesTheSchemaFields()
    {
        var result = await Kubectl.RunAsync("explain", "approllout.spec.rolloutPlan");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.ShouldContain("KIND:       AppRollout");
        result.Stdout.ShouldMatch(@"rolloutStrategy\s+<string>");
        result.Stdout.ShouldContain("enum: IncreaseFirst, DecreaseFirst");
        result.Stdout.ShouldMatch(@"batchPartition\s+<integer>");
    }

    [Fact]
    public async Task Apply_AppRolloutWithAnUnknownField_IsRejectedStrictly()
    {
        var ns = plane.Fresh("typo");
        var result = await Kubectl.RunAsync(TimeSpan.FromSeconds(60), """
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata: {name: typo}
            spec:
              targetAppRevisionName: app-v2
              rolloutPlann: {}
              rolloutPlan:
                rolloutBatches: [{replicas: 1}]
            """, "apply", "-n", ns, "-f", "-");

        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("unknown field \"spec.rolloutPlann\"");
    }

    [Fact]
    public async Task Apply_InvalidAppRollout_NamesTheFieldsAndStoresNothing()
    {
        var ns = plane.Fresh("invalid");
        var result = await Kubectl.RunAsync(TimeSpan.FromSeconds(60), """
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata: {name: sideways}
            spec:
              targetAppRevisionName: app-v2
              rolloutPlan:
                rolloutStrategy: Sideways
                rolloutBatches: [{replicas: 1}]
            """, "apply", "-n", ns, "-f", "-");

        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("""spec.rolloutPlan.rolloutStrategy: Unsupported value: "Sideways": supported values: "IncreaseFirst", "DecreaseFirst""");
        (await Kubectl.RunAsync("get", "approllout", "-n", ns, "-o", "name")).Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Get_ChunkSizeTwoOverSevenConfigMaps_ReturnsAllSevenThroughContinueTokens()
    {
        var ns = plane.Fresh("chunks");
        for (var i = 1; i <= 7; i++)
        {
            (await Kubectl.RunAsync("create", "configmap", $"cm-{i}", "-n", ns, $"--from-literal=i={i}")).ExitCode.ShouldBe(0);
        }
        var before = plane.Plane.Requests.Snapshot().GetValueOrDefault(new Sluice.ControlPlane.Http.RequestKey("list", "configmaps", ""));

        var result = await Kubectl.RunAsync("get", "cm", "-n", ns, "--chunk-size=2", "-o", "name");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(Enumerable.Range(1, 7).Select(i => $"configmap/cm-{i}"));
        var lists = plane.Plane.Requests.Snapshot().GetValueOrDefault(new Sluice.ControlPlane.Http.RequestKey("list", "configmaps", "")) - before;
        lists.ShouldBeGreaterThanOrEqualTo(4, "7 objects in chunks of 2 take 4 list requests");
    }

    private static string Snapshot(StringBuilder seen)
    {
        lock (seen)
        {
            return seen.ToString();
        }
    }
}
