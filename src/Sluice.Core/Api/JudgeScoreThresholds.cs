using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// Kayenta's thresholds over the judged metrics' score (percent of them that pass): at least <see cref="Pass"/>
/// passes, at least <see cref="Marginal"/> is Inconclusive (a person decides), below it fails.
/// </summary>
public sealed record JudgeScoreThresholds
{
    public const double DefaultPass = 95;
    public const double DefaultMarginal = 75;

    public double? Pass { get; init; }

    public double? Marginal { get; init; }

    [JsonIgnore]
    public double EffectivePass => Pass ?? DefaultPass;

    [JsonIgnore]
    public double EffectiveMarginal => Marginal ?? DefaultMarginal;
}
