namespace Sluice.Core.Api;

/// <summary>A shared metric check (rollout.sluice.dev/v1alpha1, namespaced): a provider and default conditions.</summary>
public sealed record MetricTemplate
{
    public const string Group = "rollout.sluice.dev";
    public const string Version = "v1alpha1";
    public const string KindName = "MetricTemplate";
    public const string Plural = "metrictemplates";

    /// <summary>Where the ready-made templates live, and where a templateRef without a namespace is looked for last.</summary>
    public const string SystemNamespace = "vela-system";

    public string ApiVersion { get; init; } = $"{Group}/{Version}";

    public string Kind { get; init; } = KindName;

    public ObjectMeta Metadata { get; init; } = new();

    public required MetricTemplateSpec Spec { get; init; }
}
