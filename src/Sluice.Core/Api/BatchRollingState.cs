using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>The state of the current batch, meaningful in <see cref="RollingState.RollingInBatches"/>.</summary>
[JsonConverter(typeof(ApiEnumJsonConverter<BatchRollingState>))]
public enum BatchRollingState
{
    [JsonStringEnumMemberName("batchInitializing")]
    BatchInitializing,

    [JsonStringEnumMemberName("batchInRolling")]
    BatchInRolling,

    [JsonStringEnumMemberName("batchVerifying")]
    BatchVerifying,

    [JsonStringEnumMemberName("batchFinalizing")]
    BatchFinalizing,

    [JsonStringEnumMemberName("batchReady")]
    BatchReady,

    [JsonStringEnumMemberName("batchVerifyFailed")]
    BatchVerifyFailed,
}
