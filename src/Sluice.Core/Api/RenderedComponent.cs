using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

/// <summary>A component rendered through its definition: the workload and any extra resources.</summary>
public sealed record RenderedComponent
{
    public required string Name { get; init; }

    public required JsonObject Workload { get; init; }

    public IReadOnlyList<JsonObject>? Outputs { get; init; }
}
