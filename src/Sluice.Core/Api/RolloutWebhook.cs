namespace Sluice.Core.Api;

/// <summary>An HTTP call that gates a step of the rollout.</summary>
public sealed record RolloutWebhook
{
    public const int DefaultTimeoutSeconds = 10;

    public WebhookType? Type { get; init; }

    public string? Name { get; init; }

    public string? Url { get; init; }

    public WebhookMethod? Method { get; init; }

    /// <summary>Statuses that pass; none given means 200 to 202.</summary>
    public IReadOnlyList<int>? ExpectedStatus { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Sluice: how long one call may take.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Sluice: what a failed call does to the rollout.</summary>
    public WebhookFailurePolicy? FailurePolicy { get; init; }

    /// <summary>Sluice: a Secret key whose value signs the body (HMAC-SHA256).</summary>
    public SecretKeyReference? SecretRef { get; init; }

    public bool Passes(int status) =>
        ExpectedStatus is { Count: > 0 } expected ? expected.Contains(status) : status is >= 200 and <= 202;
}
