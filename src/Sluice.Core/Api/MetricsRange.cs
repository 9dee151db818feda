namespace Sluice.Core.Api;

/// <summary>KubeVela's accepted range of a metric's value; either end may be absent. Numbers or numeric strings.</summary>
public sealed record MetricsRange
{
    public NumberOrString? Min { get; init; }

    public NumberOrString? Max { get; init; }
}
