using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

public sealed record Condition
{
    public required string Type { get; init; }

    public required ConditionStatus Status { get; init; }

    [JsonConverter(typeof(KubeTimeJsonConverter))]
    public DateTimeOffset? LastTransitionTime { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }
}
