using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

/// <summary>An application: components rendered through ComponentDefinitions into workloads.</summary>
public sealed record Application
{
    public const string KindName = "Application";
    public const string Plural = "applications";

    /// <summary>With "true", the Application controller creates revisions but an AppRollout applies the rolling components.</summary>
    public const string RolloutTemplateAnnotation = "app.oam.dev/rollout-template";

    /// <summary>Comma-separated names of the components an AppRollout applies.</summary>
    public const string RollingComponentsAnnotation = "app.oam.dev/rolling-components";

    public string ApiVersion { get; init; } = $"{AppRollout.Group}/{AppRollout.Version}";

    public string Kind { get; init; } = KindName;

    public ObjectMeta Metadata { get; init; } = new();

    public required ApplicationSpec Spec { get; init; }

    public JsonObject? Status { get; init; }
}
