using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

public sealed record ApplicationSpec
{
    public IReadOnlyList<ApplicationComponent> Components { get; init; } = [];

    [JsonExtensionData]
    public JsonObject? Extra { get; init; }
}
