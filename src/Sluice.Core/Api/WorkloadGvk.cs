namespace Sluice.Core.Api;

public sealed record WorkloadGvk
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }
}
