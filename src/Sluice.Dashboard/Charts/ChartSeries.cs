namespace Sluice.Dashboard.Charts;

/// <summary>A named series: points joined by a line (<paramref name="Steps"/>: held until the next point, as a weight is) or shown alone.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, bool Steps, bool Line = true);
