using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// Compare the target's samples against the source's (Mann-Whitney U, Hodges-Lehmann shift): a measurement fails
/// when the target is worse than the source by more than <see cref="Tolerance"/> with <see cref="Confidence"/>.
/// </summary>
public sealed record MetricJudge
{
    public const string SourceBaseline = "source";
    public const double DefaultConfidence = 0.95;

    /// <summary>What the target is compared with: "source" (the only baseline so far).</summary>
    public string? Baseline { get; init; }

    /// <summary>Which way is worse: increase (latency, errors; the default), decrease (success rate), either.</summary>
    public JudgeDirection? Direction { get; init; }

    /// <summary>"10%" of the source's median, or an absolute amount in the metric's unit (e.g. 20); default 0.</summary>
    public NumberOrString? Tolerance { get; init; }

    /// <summary>Between 0.5 and 1 exclusive (default 0.95).</summary>
    public double? Confidence { get; init; }

    [JsonIgnore]
    public JudgeDirection EffectiveDirection => Direction ?? JudgeDirection.Increase;

    [JsonIgnore]
    public double EffectiveConfidence => Confidence ?? DefaultConfidence;
}
