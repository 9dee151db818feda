namespace Sluice.Controllers.Workloads;

/// <summary>A workload's size, or why it cannot be read yet (a problem to wait for, not a failure).</summary>
public sealed record WorkloadSize(int? Pods, string? NotYet)
{
    public static WorkloadSize Of(int pods) => new(pods, null);

    public static WorkloadSize Waiting(string why) => new(null, why);
}
