using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

/// <summary>The metric whose outcome decided the run, and the value of its deciding measurement.</summary>
public sealed record AnalysisDecider
{
    public required string Metric { get; init; }

    public required AnalysisPhase Phase { get; init; }

    public JsonNode? Value { get; init; }
}
