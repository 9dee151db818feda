using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<WebhookFailurePolicy>))]
public enum WebhookFailurePolicy
{
    /// <summary>Keep trying; the rollout waits (the default).</summary>
    Retry,

    /// <summary>Fail the rollout.</summary>
    Fail,

    /// <summary>Go on as if it passed.</summary>
    Ignore,
}
