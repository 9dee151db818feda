using System.Diagnostics.CodeAnalysis;

namespace Sluice.Core.Plans;

/// <summary>Every batch's traffic step, or the first reason they cannot be resolved.</summary>
public sealed record TrafficStepsResult
{
    private TrafficStepsResult(IReadOnlyList<TrafficStep>? steps, PlanError? error)
    {
        Steps = steps;
        Error = error;
    }

    public IReadOnlyList<TrafficStep>? Steps { get; }

    public PlanError? Error { get; }

    [MemberNotNullWhen(true, nameof(Steps))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Steps is not null;

    public static TrafficStepsResult Valid(IReadOnlyList<TrafficStep> steps) => new(steps, null);

    public static TrafficStepsResult Invalid(string field, string message) => new(null, new PlanError(field, message));
}
