using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Core.Tests.Api;

public class TrafficApiJsonTests
{
    private const string Canary = """
        {
          "rolloutStrategy": "IncreaseFirst",
          "trafficRouting": {
            "service": "web",
            "canaryService": "web-next",
            "gatewayAPI": { "httpRoutes": ["web", "web-internal"] },
            "istio": { "virtualServices": [ { "name": "web", "routes": ["primary"] }, { "name": "web-mesh" } ] },
            "nginx": { "ingress": "web" }
          },
          "rolloutBatches": [
            { "replicas": 1, "traffic": "10%", "pause": { "duration": "5m" },
              "matches": [
                { "headers": [ { "name": "x-beta", "exact": "true" }, { "name": "user-agent", "prefix": "Mozilla" }, { "name": "x-team", "regex": "^(a|b)$" } ] },
                { "cookie": { "name": "canary", "value": "always" } },
                { "queryParams": [ { "name": "beta", "exact": "1" } ] }
              ],
              "mirror": "20%" },
            { "replicas": "50%", "traffic": "50%", "pause": {} },
            { "replicas": "50%" }
          ]
        }
        """;

    private const string BlueGreenPlan = """
        {
          "blueGreen": { "activeService": "web", "previewService": "web-preview", "autoPromotionSeconds": 60, "scaleDownDelaySeconds": 30 },
          "rolloutBatches": [ { "replicas": "100%" } ]
        }
        """;

    [Theory]
    [InlineData(Canary)]
    [InlineData(BlueGreenPlan)]
    public void RolloutPlan_TrafficFields_RoundTripWithoutLoss(string json)
    {
        var plan = JsonSerializer.Deserialize<RolloutPlan>(json, SluiceJson.Options)!;

        JsonNode.DeepEquals(JsonNode.Parse(SluiceJson.Serialize(plan)), JsonNode.Parse(json)).ShouldBeTrue(SluiceJson.Serialize(plan));
    }

    [Fact]
    public void TrafficRouting_Deserializes_EveryField()
    {
        var plan = JsonSerializer.Deserialize<RolloutPlan>(Canary, SluiceJson.Options)!;

        var routing = plan.TrafficRouting!;
        routing.Service.ShouldBe("web");
        routing.EffectiveCanaryService.ShouldBe("web-next");
        routing.GatewayApi!.HttpRoutes.ShouldBe(["web", "web-internal"]);
        routing.Istio!.VirtualServices![0].Routes.ShouldBe(["primary"]);
        routing.Istio.VirtualServices[1].Routes.ShouldBeNull();
        routing.Nginx!.Ingress.ShouldBe("web");
        routing.HasRouter.ShouldBeTrue();
        var first = plan.RolloutBatches![0];
        first.Traffic.ShouldBe("10%");
        first.Mirror.ShouldBe("20%");
        first.Pause!.Duration.ShouldBe("5m");
        first.Matches![0].Headers![1].Prefix.ShouldBe("Mozilla");
        first.Matches[1].Cookie!.Value.ShouldBe("always");
        first.Matches[2].QueryParams![0].Exact.ShouldBe("1");
        plan.RolloutBatches[1].Pause!.Duration.ShouldBeNull();
        plan.RolloutBatches[2].Pause.ShouldBeNull();
    }

    [Fact]
    public void TrafficRouting_GatewayApi_UsesTheApisSpelling() =>
        SluiceJson.Serialize(new TrafficRouting { Service = "web", GatewayApi = new GatewayApiRouting { HttpRoutes = ["r"] } })
            .ShouldBe("{\"service\":\"web\",\"gatewayAPI\":{\"httpRoutes\":[\"r\"]}}");

    [Fact]
    public void TrafficRouting_CanaryServiceAbsent_DefaultsToServiceDashCanary() =>
        new TrafficRouting { Service = "web" }.EffectiveCanaryService.ShouldBe("web-canary");

    [Fact]
    public void TrafficRouting_ServiceOnly_HasNoRouter() =>
        new TrafficRouting { Service = "web", GatewayApi = new GatewayApiRouting { HttpRoutes = [] } }.HasRouter.ShouldBeFalse();

    [Fact]
    public void BlueGreen_Defaults_PreviewNameAndThirtySecondDelay()
    {
        var blueGreen = new BlueGreen { ActiveService = "web" };

        blueGreen.EffectivePreviewService.ShouldBe("web-preview");
        blueGreen.EffectiveScaleDownDelaySeconds.ShouldBe(30);
    }

    [Fact]
    public void RolloutPlan_WithoutTrafficFields_SerializesAsBefore() =>
        SluiceJson.Serialize(new RolloutPlan { RolloutBatches = [new RolloutBatch { Replicas = IntOrPercent.FromInt(1) }] })
            .ShouldBe("{\"rolloutBatches\":[{\"replicas\":1}]}");
}
