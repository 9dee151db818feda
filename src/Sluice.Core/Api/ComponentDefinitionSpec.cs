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
