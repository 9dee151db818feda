using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

public sealed record ComponentDefinitionSpec
{
    public WorkloadTypeDescriptor? Workload { get; init; }

    public Schematic? Schematic { get; init; }

    /// <summary>Fields this project does not model, kept as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record WorkloadTypeDescriptor
{
    public WorkloadGvk? Definition { get; init; }

    public string? Type { get; init; }
}

public sealed record WorkloadGvk
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }
}

public sealed record Schematic
{
    public CueSchematic? Cue { get; init; }

    /// <summary>Fields this project does not model, kept as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record CueSchematic
{
    public required string Template { get; init; }
}
