namespace Sluice.Core.Api;

/// <summary>Moves a component from one application revision to the next in batches (core.oam.dev/v1beta1).</summary>
public sealed record AppRollout
{
    public const string Group = "core.oam.dev";
    public const string Version = "v1beta1";
    public const string KindName = "AppRollout";
    public const string Plural = "approllouts";

    /// <summary>Held on every AppRollout until its workload is released.</summary>
    public const string Finalizer = "finalizers.approllout.oam.dev";

    /// <summary>Sluice: set to "true" to abort an unfinished rollout (it fails with reason Aborted and onFailure applies).</summary>
    public const string AbortAnnotation = "rollout.sluice.dev/abort";

    /// <summary>
    /// Sluice: the index of the last batch promoted past a <c>pause: {}</c> (and, with metric analysis, an inconclusive
    /// result); <c>sluice rollout promote</c> sets it to the current batch.
    /// </summary>
    public const string PromoteAnnotation = "rollout.sluice.dev/promoted-batch";

    /// <summary>The promotion annotation's value: <c>attempt/batch</c> (<c>batch</c> alone when the attempt is unknown: any start).</summary>
    public static string Promotion(int? attempt, int batch) =>
        attempt is { } a ? $"{a.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{batch.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : batch.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The batch a promotion annotation releases for <paramref name="attempt"/>: the batch of <c>attempt/batch</c> when the
    /// attempt is this one, of <c>batch</c> alone always; null otherwise (a promotion of an earlier start, or none).
    /// </summary>
    public static int? PromotedBatch(string? value, int? attempt)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var parts = value.Split('/');
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var plain = System.Globalization.NumberStyles.None;
        return parts switch
        {
            [var batch] when int.TryParse(batch, plain, culture, out var b) => b,
            [var a, var batch] when int.TryParse(a, plain, culture, out var n) && n == attempt && int.TryParse(batch, plain, culture, out var b) => b,
            _ => null,
        };
    }

    public string ApiVersion { get; init; } = $"{Group}/{Version}";

    public string Kind { get; init; } = KindName;

    public ObjectMeta Metadata { get; init; } = new();

    public required AppRolloutSpec Spec { get; init; }

    public AppRolloutStatus? Status { get; init; }
}
