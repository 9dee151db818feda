using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

[JsonConverter(typeof(ApiEnumJsonConverter<RolloutStrategy>))]
public enum RolloutStrategy
{
    /// <summary>Bring new pods up before taking old ones down (the default).</summary>
    IncreaseFirst,

    /// <summary>Take old pods down before bringing new ones up.</summary>
    DecreaseFirst,
}

[JsonConverter(typeof(ApiEnumJsonConverter<OnFailure>))]
public enum OnFailure
{
    /// <summary>Put every pod back on the source revision (the default).</summary>
    Rollback,

    /// <summary>Leave the workload as it is, paused.</summary>
    Pause,
}

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

[JsonConverter(typeof(ApiEnumJsonConverter<WebhookMethod>))]
public enum WebhookMethod
{
    POST,
    GET,
    PUT,
}

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

[JsonConverter(typeof(ApiEnumJsonConverter<ConditionStatus>))]
public enum ConditionStatus
{
    True,
    False,
    Unknown,
}
