using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using static Sluice.EndToEnd.Tests.Support.Manifests;

namespace Sluice.EndToEnd.Tests;

/// <summary>Bad input never half-applies: a clear condition and Event, and the workload untouched.</summary>
public class BadInputTests
{
    private static async Task<TestCluster> WithV1Running()
    {
        var cluster = await TestCluster.StartAsync();
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:4.0.6", replicas: 5));
        await cluster.ApplyYamlAsync(Rollout("shop-up", null, "shop-v1", "50%,50%"));
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");
        return cluster;
    }

    private static async Task<string> EventsAsync(TestCluster cluster, string name) =>
        await cluster.Kubectl.RunAsync("get", "events", "--field-selector", $"involvedObject.name={name}", "-o", "custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message");

    private static string? FailedMessage(JsonObject rollout) =>
        (rollout["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "RolloutFailed")?["message"]?.GetValue<string>();

    private static async Task<string> WorkloadVersionAsync(TestCluster cluster) =>
        (await cluster.GetAsync(ResourceKind.CloneSet, Component))!["metadata"]!["resourceVersion"]!.GetValue<string>();

    [Fact]
    public async Task UnknownRevision_WaitsSayingSoThenFailsAtTheDeadline_WorkloadUntouched()
    {
        await using var cluster = await WithV1Running();
        var before = await WorkloadVersionAsync(cluster);

        await cluster.ApplyYamlAsync(Rollout("bad", "shop-v1", "shop-v9", "1,4", "    progressDeadlineSeconds: 2\n"));

        var failed = await cluster.WaitForStateAsync("rolloutFailed", "bad");
        FailedMessage(failed).ShouldNotBeNull().ShouldStartWith("ApplicationRevision \"shop-v9\" not found in namespace \"default\"");
        (await EventsAsync(cluster, "bad")).ShouldContain("RevisionNotFound");
        (await WorkloadVersionAsync(cluster)).ShouldBe(before);
    }

    [Fact]
    public async Task UnknownComponent_FailsAtOnceNamingIt_WorkloadUntouched()
    {
        await using var cluster = await WithV1Running();
        var before = await WorkloadVersionAsync(cluster);

        await cluster.ApplyYamlAsync(Rollout("bad", null, "shop-v1", "1,4").Replace($"- {Component}", "- nope", StringComparison.Ordinal));

        var failed = await cluster.WaitForStateAsync("rolloutFailed", "bad");
        FailedMessage(failed).ShouldBe("spec.componentList[0]: Invalid value: \"nope\": revision shop-v1 has no such component (it has: web)");
        (await EventsAsync(cluster, "bad")).ShouldContain("WorkloadNotReady");
        (await WorkloadVersionAsync(cluster)).ShouldBe(before);
    }

    [Fact]
    public async Task InvalidPlanForTheActualSize_FailsAtOnceWithTheTotals_WorkloadUntouched()
    {
        await using var cluster = await WithV1Running();
        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:5.0.2", replicas: 5));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2") is not null, what: () => "shop-v2");
        var before = await WorkloadVersionAsync(cluster);

        await cluster.ApplyYamlAsync(Rollout("bad", "shop-v1", "shop-v2", "1,1"));

        var failed = await cluster.WaitForStateAsync("rolloutFailed", "bad");
        FailedMessage(failed).ShouldBe("spec.rolloutPlan.rolloutBatches[1].replicas: Invalid value: 1: the rollout plan batch size mismatch, total batch size = 2, totalReplicas size = 5 "
            + "(upgrade of 5 pods: target size 5 from the source workload's current size (CloneSet web: 5))");
        (await EventsAsync(cluster, "bad")).ShouldContain("InvalidPlan");
        (await WorkloadVersionAsync(cluster)).ShouldBe(before);
    }

    [Fact]
    public async Task ApplicationWithAWrongParameter_SaysWhichAndMakesNoRevision()
    {
        await using var cluster = await WithV1Running();
        var before = await WorkloadVersionAsync(cluster);

        await cluster.ApplyYamlAsync(App("shop", "stefanprodan/podinfo:5.0.2", replicas: 5, extraProperties: "        port: http\n"));

        JsonObject? app = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            app = await cluster.GetAsync(ResourceKind.Application, "shop");
            return app?["status"]?["conditions"]?[0]?["reason"]?.GetValue<string>() == "RenderFailed";
        }, what: () => $"a RenderFailed condition; status is {app?["status"]?.ToJsonString()}");
        app!["status"]!["conditions"]![0]!["message"]!.GetValue<string>()
            .ShouldBe("component \"web\": definition \"clonesetservice\": parameter \"port\" must be int, got \"http\"");
        (await EventsAsync(cluster, "shop")).ShouldContain("RenderFailed");
        (await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2")).ShouldBeNull();
        (await WorkloadVersionAsync(cluster)).ShouldBe(before);
    }
}
