namespace Sluice.Controllers.Notifications;

/// <summary>
/// One service of the notifications ConfigMap, its <c>$secret</c> references already resolved: a generic webhook
/// (<see cref="Url"/>, <see cref="Method"/>, <see cref="Headers"/>), Slack (<see cref="Token"/>, <see cref="ApiUrl"/>,
/// the recipient a channel) or Microsoft Teams (<see cref="RecipientUrls"/>: an incoming webhook per recipient).
/// </summary>
public sealed record NotificationService
{
    public required string Name { get; init; }

    /// <summary>webhook, slack or teams.</summary>
    public required string Type { get; init; }

    public Uri? Url { get; init; }

    public string Method { get; init; } = "POST";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Token { get; init; }

    public Uri ApiUrl { get; init; } = new("https://slack.com/api/");

    public IReadOnlyDictionary<string, Uri> RecipientUrls { get; init; } = new Dictionary<string, Uri>();
}
