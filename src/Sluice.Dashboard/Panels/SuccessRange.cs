using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Core.Api;

namespace Sluice.Dashboard.Panels;

/// <summary>
/// The values a metric accepts, as a band to draw on its chart: from <c>metricsRange</c>, else from a success condition
/// made of comparisons of <c>result</c> with numbers joined by <c>&amp;&amp;</c> (<c>result &gt;= 99</c>,
/// <c>result &gt; 0.5 &amp;&amp; result &lt; 2</c>). Null when the metric is decided otherwise (a judge, any other CEL):
/// the chart then shows the measurements and the condition in words only.
/// </summary>
internal sealed partial record SuccessRange(double? Min, double? Max)
{
    public static SuccessRange? Of(CanaryMetric metric)
    {
        if (metric.Judge is not null)
        {
            return null;
        }

        if (metric.MetricsRange is { } range)
        {
            double? min = range.Min is { } lo && lo.TryNumber(out var a) ? a : null;
            double? max = range.Max is { } hi && hi.TryNumber(out var b) ? b : null;
            return min is null && max is null ? null : new SuccessRange(min, max);
        }

        return metric.SuccessCondition is { } condition ? Parse(condition) : null;
    }

    /// <summary>"result &gt;= 99" and its kin; null for anything else.</summary>
    internal static SuccessRange? Parse(string condition)
    {
        double? min = null;
        double? max = null;
        foreach (var term in condition.Split("&&", StringSplitOptions.TrimEntries))
        {
            var match = Comparison().Match(term);
            if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return null;
            }

            switch (match.Groups["op"].Value)
            {
                case ">=" or ">":
                    min = min is { } m ? Math.Max(m, n) : n;
                    break;
                default:
                    max = max is { } x ? Math.Min(x, n) : n;
                    break;
            }
        }

        return min is null && max is null ? null : new SuccessRange(min, max);
    }

    /// <summary>"≥ 99", "≤ 500", "0.5 to 2".</summary>
    public override string ToString() => (Min, Max) switch
    {
        ({ } lo, { } hi) => $"{Show(lo)} to {Show(hi)}",
        ({ } lo, null) => $"≥ {Show(lo)}",
        (null, { } hi) => $"≤ {Show(hi)}",
        _ => "any",
    };

    public bool Contains(double value) => (Min is not { } lo || value >= lo) && (Max is not { } hi || value <= hi);

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\(?\s*result\s*(?<op>>=|>|<=|<)\s*(?<n>-?\d+(\.\d+)?([eE][-+]?\d+)?)\s*\)?$")]
    private static partial Regex Comparison();
}
