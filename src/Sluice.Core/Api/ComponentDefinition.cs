using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

/// <summary>A component type: the workload kind it makes and the CUE template that makes it.</summary>
public sealed record ComponentDefinition
{
    public const string KindName = "ComponentDefinition";
    public const string Plural = "componentdefinitions";

    public string ApiVersion { get; init; } = $"{AppRollout.Group}/{AppRollout.Version}";

    public string Kind { get; init; } = KindName;

    public ObjectMeta Metadata { get; init; } = new();

    public required ComponentDefinitionSpec Spec { get; init; }

    public JsonObject? Status { get; init; }
}
