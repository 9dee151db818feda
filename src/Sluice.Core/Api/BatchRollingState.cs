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

    /// <summary>Sluice: the batch's weight, matches and mirror are being written to the routes.</summary>
    [JsonStringEnumMemberName("batchShiftingTraffic")]
    BatchShiftingTraffic,

    /// <summary>Sluice: the batch's <c>pause</c> holds (a duration, or until promoted).</summary>
    [JsonStringEnumMemberName("batchPausing")]
    BatchPausing,

    /// <summary>Sluice: the batch's and the plan's canaryMetric checks run.</summary>
    [JsonStringEnumMemberName("batchAnalyzing")]
    BatchAnalyzing,

    [JsonStringEnumMemberName("batchFinalizing")]
    BatchFinalizing,

    [JsonStringEnumMemberName("batchReady")]
    BatchReady,

    [JsonStringEnumMemberName("batchVerifyFailed")]
    BatchVerifyFailed,
}
