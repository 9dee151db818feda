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

    public string ApiVersion { get; init; } = $"{Group}/{Version}";

    public string Kind { get; init; } = KindName;

    public ObjectMeta Metadata { get; init; } = new();

    public required AppRolloutSpec Spec { get; init; }

    public AppRolloutStatus? Status { get; init; }
}
