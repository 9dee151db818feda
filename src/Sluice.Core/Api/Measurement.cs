using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

/// <summary>One measurement: the value the provider gave (a number, a list, a map), its phase and why.</summary>
public sealed record Measurement
{
    public required AnalysisPhase Phase { get; init; }

    public JsonNode? Value { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? Message { get; init; }
}
