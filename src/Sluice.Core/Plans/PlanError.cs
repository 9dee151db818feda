namespace Sluice.Core.Plans;

/// <summary>Why a plan cannot run: the field, the value and the totals.</summary>
public sealed record PlanError(string Field, string Message)
{
    public override string ToString() => Message;
}
