using System.Text;
using System.Text.Json.Nodes;
using Sluice.Controllers.Notifications;
using Sluice.Controllers.Observing;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Tests.Notifications;

public class NotificationConfigTests
{
    private static JsonObject ConfigMap(params (string Key, string Value)[] data) =>
        new() { ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)JsonValue.Create(d.Value)))) };

    private static JsonObject Secret(params (string Key, string Value)[] data) =>
        new() { ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value)))))) };

    [Fact]
    public void Parse_EveryType_ResolvesSecretsAndNamesServices()
    {
        var config = NotificationConfig.Parse(ConfigMap(
                ("service.webhook.audit", "url: https://audit.example/hook\nheaders:\n  Authorization: $audit\n"),
                ("service.slack", "token: $slack\n"),
                ("service.teams.ops", "recipientUrls:\n  oncall: $teams-url\n"),
                ("other", "ignored")),
            Secret(("audit", "Bearer a"), ("slack", "xoxb-1"), ("teams-url", "https://teams.example/webhook/1")), "sluice-system");

        config.Problems.ShouldBeEmpty();
        config.Services.Keys.Order().ShouldBe(["audit", "ops", "slack"]);
        config.Services["audit"].Headers["Authorization"].ShouldBe("Bearer a");
        config.Services["audit"].Url.ShouldBe(new Uri("https://audit.example/hook"));
        config.Services["slack"].Token.ShouldBe("xoxb-1");
        config.Services["slack"].ApiUrl.ShouldBe(new Uri("https://slack.com/api/"));
        config.Services["ops"].RecipientUrls["oncall"].ShouldBe(new Uri("https://teams.example/webhook/1"));
    }

    [Theory]
    [InlineData("service.pagerduty", "serviceKey: x", "key service.pagerduty: unknown service type \"pagerduty\" (known: webhook, slack, teams)")]
    [InlineData("service.webhook.a", "headers: {}", "key service.webhook.a: url is required")]
    [InlineData("service.webhook.a", "url: ftp://x/y", "key service.webhook.a: url: \"ftp://x/y\" is not an absolute http(s) URL")]
    [InlineData("service.slack", "token: $nope", "key service.slack: token refers to $nope, which Secret sluice-system/sluice-notifications-secret does not have")]
    [InlineData("service.teams", "recipientUrls: [a]", "key service.teams: recipientUrls: want a mapping of names to values")]
    [InlineData("service.slack", "token: [unclosed", "key service.slack: ")]
    public void Parse_BadService_LeavesItOutWithAProblemNamingKeyAndField(string key, string value, string problem)
    {
        var config = NotificationConfig.Parse(ConfigMap((key, value), ("service.webhook.good", "url: http://good/")), Secret(), "sluice-system");

        config.Services.Keys.ShouldBe(["good"]);
        config.Problems.Values.Single().ShouldStartWith($"ConfigMap sluice-system/sluice-notifications {problem}");
    }

    [Fact]
    public void Parse_SecretMissing_SaysSo()
    {
        var config = NotificationConfig.Parse(ConfigMap(("service.slack", "token: $slack")), null, "ns");

        config.Problems["slack"].ShouldBe("ConfigMap ns/sluice-notifications key service.slack: token refers to $slack, but Secret ns/sluice-notifications-secret does not exist");
    }

    [Fact]
    public async Task Build_Webhook_PostsTheOccurrenceWithTheHeaders()
    {
        var service = new NotificationService { Name = "audit", Type = "webhook", Url = new Uri("http://audit/"), Headers = new Dictionary<string, string> { ["X-Team"] = "shop" } };
        var occurrence = new Occurrence("on-succeeded", "on-succeeded/1", DateTimeOffset.UnixEpoch, "AppRollout shop/web succeeded: web-v2");
        var facts = new RolloutFacts { Key = new ObjectKey("shop", "web"), Strategy = "batches", Router = "none", Target = "web-v2", State = "rolloutSucceed" };

        using var request = NotificationRequests.Build(service, "", occurrence, facts);
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!;

        request.Method.ShouldBe(HttpMethod.Post);
        request.Headers.GetValues("X-Team").ShouldBe(["shop"]);
        request.Headers.GetValues("X-Sluice-Notification").ShouldBe(["on-succeeded/1"]);
        body["trigger"]!.GetValue<string>().ShouldBe("on-succeeded");
        body["rollout"]!["state"]!.GetValue<string>().ShouldBe("rolloutSucceed");
        body["message"]!.GetValue<string>().ShouldBe("AppRollout shop/web succeeded: web-v2");
    }

    [Fact]
    public void Entry_SameOccurrenceServiceAndRecipient_SameEntryElseAnother()
    {
        var occurrence = new Occurrence("on-failed", "on-failed/1", DateTimeOffset.UnixEpoch, "m");

        DeliveryLog.Entry(occurrence, "slack", "#a").ShouldBe(DeliveryLog.Entry(occurrence with { Message = "other" }, "slack", "#a"));
        DeliveryLog.Entry(occurrence, "slack", "#a").ShouldNotBe(DeliveryLog.Entry(occurrence, "slack", "#b"));
        DeliveryLog.Read(DeliveryLog.Write(["b", "a"])).Order().ShouldBe(["a", "b"]);
    }
}
