using System.Text.Json.Nodes;
using Sluice.Cli.Tests.Support;
using Sluice.Controllers.Kube;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.Cli.Tests.Commands;

/// <summary><c>sluice get</c> and <c>sluice describe</c> through parse-and-invoke against an in-process plane.</summary>
public sealed class GetDescribeCommandTests(PlaneFixture plane) : IClassFixture<PlaneFixture>
{
    private const string Spec = """
        sourceAppRevisionName: app-v1
        targetAppRevisionName: app-v2
        rolloutPlan:
          rolloutBatches:
            - replicas: 1
            - replicas: 4
        """;

    private const string Rolling = """
        rollingState: rollingInBatches
        batchRollingState: batchVerifying
        currentBatch: 1
        upgradedReplicas: 3
        upgradedReadyReplicas: 2
        LastSourceAppRevision: app-v1
        lastTargetAppRevision: app-v2
        rolloutOriginalSize: 5
        rolloutTargetSize: 5
        """;

    private static string NewName() => "g-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task GetRollouts_OneRolling_ShowsItsStateBatchAndCounts()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling, ns: "get-one");

        var (code, console) = await RunAsync("get", "rollouts", "-n", "get-one");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var lines = console.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldMatch(@"^NAME\s+STATE\s+BATCH\s+UPGRADED\s+READY\s+TARGET\s+REVISIONS\s+AGE$");
        lines[1].ShouldMatch($@"^{name}\s+rollingInBatches\s+2/2\s+3\s+2\s+5\s+app-v1->app-v2\s+\d+s$");
    }

    [Fact]
    public async Task GetRollouts_AllNamespaces_AddsTheNamespaceColumn()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling, ns: "get-all");

        var (code, console) = await RunAsync("-A", "get", "approllout");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.ShouldStartWith("NAMESPACE");
        console.Stdout.ShouldMatch($@"get-all\s+{name}\s+rollingInBatches");
    }

    [Fact]
    public async Task GetRollout_NameAsJson_PrintsTheObjectOnStdout()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling);

        var (code, console) = await RunAsync("get", "rollout", name, "-o", "json");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var obj = JsonNode.Parse(console.Stdout)!;
        obj["metadata"]!["name"]!.GetValue<string>().ShouldBe(name);
        obj["status"]!["currentBatch"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task GetRollouts_AsYaml_PrintsAListThatParsesBack()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling, ns: "get-yaml");

        var (code, console) = await RunAsync("get", "rollouts", "-n", "get-yaml", "-o", "yaml");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var list = YamlJson.Parse(console.Stdout)!;
        list["kind"]!.GetValue<string>().ShouldBe("List");
        list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ShouldBe([name]);
    }

    [Fact]
    public async Task GetRollout_Missing_ExitsNotFound()
    {
        var (code, console) = await RunAsync("get", "rollout", "nosuch");

        code.ShouldBe(ExitCodes.NotFound);
        console.Stderr.ShouldBe("error: AppRollout \"nosuch\" not found in namespace default\n");
    }

    [Fact]
    public async Task Get_UnknownKind_ExitsUsage()
    {
        var (code, console) = await RunAsync("get", "pods");

        code.ShouldBe(ExitCodes.Usage);
        console.Stderr.ShouldContain("KIND: \"pods\" is not one of apps, revisions, rollouts, definitions");
    }

    [Fact]
    public async Task GetDefinitions_FreshPlane_ListsTheBuiltInTypes()
    {
        var (code, console) = await RunAsync("get", "definitions", "-A");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.ShouldContain("clonesetservice");
        console.Stdout.ShouldContain("CloneSet (apps.kruise.io/v1alpha1)");
    }

    [Fact]
    public async Task DescribeRollout_Rolling_ShowsThePlanWithEachBatchsState()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling);

        var (code, console) = await RunAsync("describe", "rollout", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.ShouldContain("State:        rollingInBatches / batchVerifying");
        console.Stdout.ShouldMatch(@"\n  1\s+1\s+1\s+done\n  2\s+4\s+5\s+batchVerifying\n");
        console.Stdout.ShouldContain("Events:\n  <none>\n");
    }

    [Fact]
    public async Task DescribeApp_WithItsRevisionAndRollout_ListsThemAll()
    {
        var name = NewName();
        var app = (JsonObject)YamlJson.Parse($$"""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata:
              name: {{name}}
              namespace: default
              annotations:
                app.oam.dev/rollout-template: "true"
            spec:
              components:
                - name: web
                  type: clonesetservice
                  properties:
                    image: "podinfo:5"
            """)!;
        await plane.Api.CreateAsync(ResourceKind.Application, "default", app, CancellationToken.None);

        var (code, console) = await RunAsync("describe", "app", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stdout.ShouldContain($"Name:         {name}");
        console.Stdout.ShouldContain("Rolled by:    AppRollouts (app.oam.dev/rollout-template)");
        console.Stdout.ShouldMatch(@"web\s+clonesetservice\s+\{""image"":""podinfo:5""\}");
    }

    [Fact]
    public async Task GetRolloutsWatch_StatusChanges_PrintsTheNewRowUntilCancelled()
    {
        // Given a rolling rollout watched with get -w
        var name = NewName();
        var stored = await plane.RolloutAsync(name, Spec, Rolling, ns: "get-watch");
        var console = new FakeConsole();
        using var stop = new CancellationTokenSource();
        var watching = SluiceCli.RunAsync(["get", "rollouts", "-n", "get-watch", "-w", "--kubeconfig", plane.Kubeconfig], console, stop.Token);
        await Eventually.WaitUntil(() => console.Stdout.Contains("rollingInBatches", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the initial table");

        // When it succeeds
        var latest = await plane.GetRolloutAsync(name, "get-watch");
        latest["status"]!["rollingState"] = "rolloutSucceed";
        await plane.Api.ReplaceStatusAsync(ResourceKind.AppRollout, "get-watch", latest, CancellationToken.None);

        // Then a row with the new state follows the table, without a second header, and cancelling ends it with 0
        await Eventually.WaitUntil(() => console.Stdout.Contains("rolloutSucceed", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the changed row");
        await stop.CancelAsync();
        (await watching).ShouldBe(ExitCodes.Success, console.Stderr);
        var lines = console.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l.StartsWith("NAME", StringComparison.Ordinal)).ShouldBe(1);
        lines[^1].ShouldMatch($@"^{name}\s+rolloutSucceed\s+2/2\s");
    }

    private Task<(int Code, FakeConsole Console)> RunAsync(params string[] args) =>
        FakeConsole.RunAsync([.. args, "--kubeconfig", plane.Kubeconfig]);
}
