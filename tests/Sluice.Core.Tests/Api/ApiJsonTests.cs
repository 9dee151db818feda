using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Core.Tests.Api;

public class ApiJsonTests
{
    [Fact]
    public void Status_Serializes_WithKubeVelaNames()
    {
        var status = new AppRolloutStatus
        {
            RollingState = RollingState.RolloutDeleting,
            BatchRollingState = BatchRollingState.BatchVerifyFailed,
            LastTargetAppRevision = "a-v2",
            LastSourceAppRevision = "a-v1",
            TargetGeneration = "h",
        };

        var json = JsonNode.Parse(SluiceJson.Serialize(status))!.AsObject();

        json["rollingState"]!.GetValue<string>().ShouldBe("RolloutDeletingState");
        json["batchRollingState"]!.GetValue<string>().ShouldBe("batchVerifyFailed");
        json["lastTargetAppRevision"]!.GetValue<string>().ShouldBe("a-v2");
        json["LastSourceAppRevision"]!.GetValue<string>().ShouldBe("a-v1");
        json.Select(p => p.Key).ShouldContain("currentBatch");
    }

    [Fact]
    public void RolloutStrategy_Unknown_ListsSupportedValues()
    {
        var error = Should.Throw<JsonException>(() =>
            JsonSerializer.Deserialize<RolloutPlan>("{\"rolloutStrategy\":\"Sideways\"}", SluiceJson.Options));

        error.Message.ShouldStartWith("Unsupported value: \"Sideways\": supported values: \"IncreaseFirst\", \"DecreaseFirst\"");
        error.Path.ShouldBe("$.rolloutStrategy");
    }

    [Fact]
    public void WebhookType_Serializes_AsTheApiString() =>
        SluiceJson.Serialize(new RolloutWebhook { Type = WebhookType.PreBatchRollout }).ShouldBe("{\"type\":\"pre-batch-rollout\"}");

    [Theory]
    [InlineData(200, true)]
    [InlineData(202, true)]
    [InlineData(204, false)]
    [InlineData(500, false)]
    public void Passes_WithoutExpectedStatus_Accepts200To202(int status, bool passes) =>
        new RolloutWebhook().Passes(status).ShouldBe(passes);

    [Fact]
    public void Passes_WithExpectedStatus_AcceptsOnlyThose() =>
        new RolloutWebhook { ExpectedStatus = [204] }.Passes(200).ShouldBeFalse();

    [Fact]
    public void Metadata_UnknownFields_SurviveARoundTrip()
    {
        const string json = "{\"name\":\"x\",\"uid\":\"u\",\"managedFields\":[{\"manager\":\"kubectl\"}],\"selfLink\":\"/x\"}";

        var meta = JsonSerializer.Deserialize<ObjectMeta>(json, SluiceJson.Options)!;

        JsonNode.DeepEquals(JsonNode.Parse(SluiceJson.Serialize(meta)), JsonNode.Parse(json)).ShouldBeTrue();
    }
}
