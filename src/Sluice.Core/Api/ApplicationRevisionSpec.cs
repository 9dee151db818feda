using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

public sealed record ApplicationRevisionSpec
{
    /// <summary>The application as it was when this revision was made.</summary>
    public required Application Application { get; init; }

    /// <summary>Sluice: each component's rendered workload and extra resources.</summary>
    public IReadOnlyList<RenderedComponent>? Components { get; init; }

    [JsonExtensionData]
    public JsonObject? Extra { get; init; }
}
