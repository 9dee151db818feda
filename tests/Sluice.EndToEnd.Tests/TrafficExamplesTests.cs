using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Core.Plans;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// examples/traffic apply unchanged to the embedded plane with kubectl, their plans are valid, every router they name
/// finds its objects routing to the Service (what verifyingSpec will check), and the simulated clients enter through them.
/// </summary>
public class TrafficExamplesTests
{
    public static TheoryData<string, string, string, string> Examples() => new()
    {
        { "canary-httproute", "shop-web", "default/web", "HTTPRoute default/web" },
        { "ab-virtualservice", "catalog-api", "default/api", "VirtualService default/api" },
        { "bluegreen-services", "checkout-pay", "default/pay", "Service default/pay" },
        { "canary-nginx", "blog-site", "default/site", "Ingress default/site" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_AppliedInOrder_IsValidVerifiedAndCarriesTheClientsThroughItsRouter(string example, string rollout, string population, string entry)
    {
        await using var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        var dir = Path.Combine(RepoPaths.Root, "examples", "traffic", example);
        var files = Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal).ToArray();
        files.Length.ShouldBe(4);

        // Given v1 and the routing applied, and v1 up
        await cluster.ApplyAsync(files[0], files[1]);
        await cluster.WaitForStateAsync("rolloutSucceed", rollout, timeout: TimeSpan.FromSeconds(90));

        // When v2 and the traffic rollout are applied
        await cluster.ApplyAsync(files[2], files[3]);

        // Then the stored rollout's plan is valid and every router it names verifies against the objects
        var stored = SluiceJson.Deserialize<AppRollout>(await cluster.RolloutAsync(rollout));
        var plan = stored.Spec.RolloutPlan!;
        TrafficPlanValidator.Validate(plan).ShouldBeEmpty();
        var sourceHash = cluster.Plane.Store.List(new("", "pods"), "default").Items
            .Select(p => p["metadata"]?["labels"]?["rollout.sluice.dev/template-hash"]?.GetValue<string>()).First(h => h is not null);
        var target = new TrafficTarget("default", rollout, stored.Metadata.Uid!, plan, sourceHash, "not-yet");
        (await traffic.Routers.VerifyAsync(target, CancellationToken.None)).Select(e => e.Message).ShouldBeEmpty();

        // And the simulated clients come in through the example's router
        await traffic.SendAsync(population, 100);
        var (ns, name) = (population.Split('/')[0], population.Split('/')[1]);
        traffic.Report().Population(ns, name)!.Entries.ShouldBe([entry]);
    }

    [Fact]
    public void Examples_RoundTripThroughTheTypes()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples", "traffic"), "*.yaml", SearchOption.AllDirectories))
        {
            foreach (var document in YamlJson.ParseAll(File.ReadAllText(file)).OfType<JsonObject>().Where(d => d["kind"]?.GetValue<string>() == AppRollout.KindName))
            {
                var typed = SluiceJson.ToNode(ManifestReader.Read<AppRollout>(document));
                JsonNode.DeepEquals(typed, document).ShouldBeTrue($"{file}: {typed.ToJsonString()}");
            }
        }
    }
}
