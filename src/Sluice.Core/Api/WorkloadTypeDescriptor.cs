namespace Sluice.Core.Api;

public sealed record WorkloadTypeDescriptor
{
    public WorkloadGvk? Definition { get; init; }

    public string? Type { get; init; }
}
