using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// Sluice: blue/green. The target comes up beside the source (as the batches say) behind <see cref="PreviewService"/>;
/// <see cref="ActiveService"/> keeps selecting the source until promotion, then switches in one write.
/// </summary>
public sealed record BlueGreen
{
    /// <summary>Default of <see cref="ScaleDownDelaySeconds"/>: clients and proxies catch up with the switch.</summary>
    public const int DefaultScaleDownDelaySeconds = 30;

    /// <summary>The Service clients use; it selects the source until promotion. Required.</summary>
    public string? ActiveService { get; init; }

    /// <summary>A Service that selects the target once it has ready pods (created when missing); default <c>&lt;activeService&gt;-preview</c>.</summary>
    public string? PreviewService { get; init; }

    /// <summary>Promote this long after the target is fully ready and every check passed; absent: at once.</summary>
    public int? AutoPromotionSeconds { get; init; }

    /// <summary>Keep the source up this long after the switch, then scale it to 0; default 30.</summary>
    public int? ScaleDownDelaySeconds { get; init; }

    [JsonIgnore]
    public string EffectivePreviewService => string.IsNullOrEmpty(PreviewService) ? $"{ActiveService}-preview" : PreviewService;

    [JsonIgnore]
    public int EffectiveScaleDownDelaySeconds => ScaleDownDelaySeconds ?? DefaultScaleDownDelaySeconds;
}
