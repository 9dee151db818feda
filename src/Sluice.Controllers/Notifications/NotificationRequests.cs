using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Controllers.Observing;

namespace Sluice.Controllers.Notifications;

/// <summary>The HTTP request each service type sends for one occurrence to one recipient (pure: tests read them).</summary>
public static class NotificationRequests
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public static HttpRequestMessage Build(NotificationService service, string recipient, Occurrence occurrence, RolloutFacts rollout) => service.Type switch
    {
        "webhook" => Webhook(service, recipient, occurrence, rollout),
        "slack" => Slack(service, recipient, occurrence, rollout),
        "teams" => Teams(service, recipient, occurrence, rollout),
        _ => throw new InvalidOperationException($"service type {service.Type}"),
    };

    /// <summary>The body a generic webhook receives: the trigger, the rollout and its status, the message.</summary>
    public static JsonObject WebhookBody(string recipient, Occurrence occurrence, RolloutFacts rollout) => new()
    {
        ["trigger"] = occurrence.Trigger,
        ["id"] = occurrence.Id,
        ["recipient"] = recipient,
        ["message"] = occurrence.Message,
        ["time"] = occurrence.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["rollout"] = new JsonObject
        {
            ["namespace"] = rollout.Key.Namespace,
            ["name"] = rollout.Key.Name,
            ["source"] = rollout.Source,
            ["target"] = rollout.Target,
            ["state"] = rollout.State,
            ["batchState"] = rollout.BatchState,
            ["currentBatch"] = rollout.CurrentBatch,
            ["batches"] = rollout.Batches,
            ["strategy"] = rollout.Strategy,
        },
    };

    private static HttpRequestMessage Webhook(NotificationService service, string recipient, Occurrence occurrence, RolloutFacts rollout)
    {
        var request = new HttpRequestMessage(new HttpMethod(service.Method), service.Url) { Content = Body(WebhookBody(recipient, occurrence, rollout)) };
        foreach (var (name, value) in service.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("X-Sluice-Notification", occurrence.Id);
        return request;
    }

    /// <summary>Slack's chat.postMessage with a bot token; the recipient is the channel.</summary>
    private static HttpRequestMessage Slack(NotificationService service, string recipient, Occurrence occurrence, RolloutFacts rollout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.ApiUrl, "chat.postMessage"))
        {
            Content = Body(new JsonObject
            {
                ["channel"] = recipient,
                ["text"] = occurrence.Message,
                ["attachments"] = new JsonArray(new JsonObject
                {
                    ["color"] = Color(occurrence.Trigger),
                    ["fields"] = new JsonArray(
                        Field("Rollout", $"{rollout.Key.Namespace}/{rollout.Key.Name}"),
                        Field("State", rollout.State),
                        Field("Target", rollout.Target)),
                }),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", service.Token);
        return request;
    }

    /// <summary>A Microsoft Teams incoming webhook (a MessageCard); the recipient names one of <c>recipientUrls</c>.</summary>
    private static HttpRequestMessage Teams(NotificationService service, string recipient, Occurrence occurrence, RolloutFacts rollout)
    {
        if (!service.RecipientUrls.TryGetValue(recipient, out var url))
        {
            throw new ArgumentException($"service {service.Name} has no recipientUrls entry \"{recipient}\"", nameof(recipient));
        }

        return new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = Body(new JsonObject
            {
                ["@type"] = "MessageCard",
                ["@context"] = "https://schema.org/extensions",
                ["summary"] = occurrence.Message,
                ["themeColor"] = Color(occurrence.Trigger).TrimStart('#'),
                ["title"] = $"AppRollout {rollout.Key.Namespace}/{rollout.Key.Name}: {occurrence.Trigger}",
                ["text"] = occurrence.Message,
                ["sections"] = new JsonArray(new JsonObject
                {
                    ["facts"] = new JsonArray(Fact("State", rollout.State), Fact("Source", rollout.Source), Fact("Target", rollout.Target)),
                }),
            }),
        };
    }

    private static StringContent Body(JsonObject body)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = Json;
        return content;
    }

    private static JsonObject Field(string title, string value) => new() { ["title"] = title, ["value"] = value, ["short"] = true };

    private static JsonObject Fact(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static string Color(string trigger) => trigger switch
    {
        NotificationTriggers.Succeeded => "#18be52",
        NotificationTriggers.Failed or NotificationTriggers.Aborted or NotificationTriggers.AnalysisFailed => "#e01e5a",
        NotificationTriggers.Paused => "#f4c030",
        _ => "#2f80ed",
    };
}
