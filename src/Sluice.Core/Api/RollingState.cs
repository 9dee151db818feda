using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>The rollout's state, with KubeVela's exact strings.</summary>
[JsonConverter(typeof(ApiEnumJsonConverter<RollingState>))]
public enum RollingState
{
    [JsonStringEnumMemberName("locatingTargetApp")]
    LocatingTargetApp,

    [JsonStringEnumMemberName("verifyingSpec")]
    VerifyingSpec,

    [JsonStringEnumMemberName("initializing")]
    Initializing,

    [JsonStringEnumMemberName("rollingInBatches")]
    RollingInBatches,

    [JsonStringEnumMemberName("finalising")]
    Finalising,

    [JsonStringEnumMemberName("rolloutSucceed")]
    RolloutSucceed,

    [JsonStringEnumMemberName("rolloutFailing")]
    RolloutFailing,

    [JsonStringEnumMemberName("rolloutFailed")]
    RolloutFailed,

    [JsonStringEnumMemberName("rolloutAbandoning")]
    RolloutAbandoning,

    [JsonStringEnumMemberName("RolloutDeletingState")]
    RolloutDeleting,
}
