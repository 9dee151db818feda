using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

public sealed record ApplicationComponent
{
    public required string Name { get; init; }

    /// <summary>The ComponentDefinition that renders this component.</summary>
    public required string Type { get; init; }

    public JsonObject? Properties { get; init; }

    public JsonArray? Traits { get; init; }

    /// <summary>Fields this project does not model, kept as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}
