using System.Globalization;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Charts;

/// <summary>
/// A small server-rendered SVG chart (no script, no inline style: the page's CSP allows neither), an image with a name
/// for screen readers; each panel puts the same numbers in a table beside it as the text equivalent. Optional: a band
/// of accepted values drawn behind the points, and dashed limit lines at its edges.
/// </summary>
internal static class SvgChart
{
    private const double Width = 640;
    private const double Height = 180;
    private const double Left = 48;
    private const double Right = 12;
    private const double Top = 10;
    private const double Bottom = 26;

    /// <param name="label">What the image shows, in words (its accessible name).</param>
    /// <param name="xMin">The left edge, in the points' x unit.</param>
    /// <param name="xMax">The right edge (a step series is held to it).</param>
    /// <param name="xText">The x axis's two end labels.</param>
    /// <param name="yMin">The lowest value shown.</param>
    /// <param name="yMax">The highest value shown.</param>
    /// <param name="band">The accepted values (either edge may be open), or null.</param>
    public static Html Render(string label, IReadOnlyList<ChartSeries> series, double xMin, double xMax, (string Left, string Right) xText,
        double yMin, double yMax, (double? Min, double? Max)? band = null, string unit = "")
    {
        if (yMax <= yMin)
        {
            yMax = yMin + 1;
        }

        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        double X(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double y) => Top + ((yMax - Math.Clamp(y, yMin, yMax)) / (yMax - yMin) * (Height - Top - Bottom));
        var parts = new List<Html>();
        if (band is { } b)
        {
            var top = Y(b.Max ?? yMax);
            var bottom = Y(b.Min ?? yMin);
            parts.Add(Html.Of($"<rect class=\"chart-band\" x=\"{N(Left)}\" y=\"{N(top)}\" width=\"{N(Width - Left - Right)}\" height=\"{N(Math.Max(0, bottom - top))}\"></rect>"));
            foreach (var edge in new[] { b.Min, b.Max }.OfType<double>())
            {
                parts.Add(Html.Of($"<line class=\"chart-limit\" x1=\"{N(Left)}\" x2=\"{N(Width - Right)}\" y1=\"{N(Y(edge))}\" y2=\"{N(Y(edge))}\"></line>"));
            }
        }

        // The frame and the y axis's labels at its ends.
        parts.Add(Html.Of($"""
            <line class="chart-axis" x1="{N(Left)}" x2="{N(Left)}" y1="{N(Top)}" y2="{N(Height - Bottom)}"></line>
            <line class="chart-axis" x1="{N(Left)}" x2="{N(Width - Right)}" y1="{N(Height - Bottom)}" y2="{N(Height - Bottom)}"></line>
            <text class="chart-text" x="{N(Left - 6)}" y="{N(Top + 10)}" text-anchor="end">{N(yMax)}{unit}</text>
            <text class="chart-text" x="{N(Left - 6)}" y="{N(Height - Bottom)}" text-anchor="end">{N(yMin)}{unit}</text>
            <text class="chart-text" x="{N(Left)}" y="{N(Height - 6)}">{xText.Left}</text>
            <text class="chart-text" x="{N(Width - Right)}" y="{N(Height - 6)}" text-anchor="end">{xText.Right}</text>
            """));
        var index = 0;
        foreach (var s in series)
        {
            var kind = $"series-{index++ % 4}";
            if (s.Line && s.Points.Count > 0)
            {
                var path = new List<string>();
                for (var i = 0; i < s.Points.Count; i++)
                {
                    var p = s.Points[i];
                    path.Add($"{(i == 0 ? "M" : "L")}{N(X(p.X))},{N(Y(p.Y))}");
                    if (s.Steps)
                    {
                        var next = i + 1 < s.Points.Count ? s.Points[i + 1].X : xMax;
                        path.Add($"L{N(X(next))},{N(Y(p.Y))}");
                    }
                }

                parts.Add(Html.Of($"<path class=\"chart-line {kind}\" d=\"{string.Join(' ', path)}\"></path>"));
            }

            foreach (var p in s.Points)
            {
                // A failed point is a square, so that it is told apart by its shape as well as its colour.
                parts.Add(p.Kind == "failed"
                    ? Html.Of($"<rect class=\"chart-point {kind} point-{p.Kind}\" x=\"{N(X(p.X) - 5)}\" y=\"{N(Y(p.Y) - 5)}\" width=\"10\" height=\"10\"><title>{p.Title}</title></rect>")
                    : Html.Of($"<circle class=\"chart-point {kind} point-{p.Kind}\" cx=\"{N(X(p.X))}\" cy=\"{N(Y(p.Y))}\" r=\"4.5\"><title>{p.Title}</title></circle>"));
            }
        }

        return Html.Of($"""
            <svg class="chart" viewBox="0 0 {N(Width)} {N(Height)}" role="img" aria-label="{label}" focusable="false">{parts}</svg>
            """);
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
