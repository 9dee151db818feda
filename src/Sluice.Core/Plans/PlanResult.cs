using System.Diagnostics.CodeAnalysis;

namespace Sluice.Core.Plans;

/// <summary>A resolved plan, or the first reason it is invalid.</summary>
public sealed record PlanResult
{
    private PlanResult(BatchPlan? plan, PlanError? error)
    {
        Plan = plan;
        Error = error;
    }

    public BatchPlan? Plan { get; }

    public PlanError? Error { get; }

    [MemberNotNullWhen(true, nameof(Plan))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Plan is not null;

    public static PlanResult Valid(BatchPlan plan) => new(plan, null);

    public static PlanResult Invalid(string field, string message) => new(null, new PlanError(field, message));
}
