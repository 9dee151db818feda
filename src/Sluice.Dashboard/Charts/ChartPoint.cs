namespace Sluice.Dashboard.Charts;

/// <summary>One point of a series: where (x in the chart's own unit, seconds or an index), the value, a class for its look, and its words.</summary>
internal sealed record ChartPoint(double X, double Y, string Kind, string Title);
