using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

public sealed record ApplicationRevisionSpec
{
    /// <summary>The application as it was when this revision was made.</summary>
    public required Application Application { get; init; }

    /// <summary>Sluice: each component's rendered workload and extra resources.</summary>
    public IReadOnlyList<RenderedComponent>? Components { get; init; }

    /// <summary>Fields this project does not model, kept as they came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}
