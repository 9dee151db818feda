using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<WebhookType>))]
public enum WebhookType
{
    [JsonStringEnumMemberName("initialize-rollout")]
    InitializeRollout,

    [JsonStringEnumMemberName("pre-batch-rollout")]
    PreBatchRollout,

    [JsonStringEnumMemberName("post-batch-rollout")]
    PostBatchRollout,

    [JsonStringEnumMemberName("finalize-rollout")]
    FinalizeRollout,
}
