using System.Globalization;

namespace Sluice.Core.Plans;

/// <summary>
/// Durations as Kubernetes and Go write them: one or more <c>&lt;number&gt;&lt;unit&gt;</c> with units
/// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>. Examples: "30s", "5m", "1h30m", "1.5h", "250ms"; "5", "5 m", "-1s" and "" are malformed.
/// </summary>
public static class PauseDuration
{
    /// <summary>The longest pause accepted (a typo such as "5000h" is refused rather than waited for).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(365);

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var total = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            double scale;
            if (text.AsSpan(i).StartsWith("ms", StringComparison.Ordinal))
            {
                scale = 1;
                i += 2;
            }
            else if (i < text.Length && text[i] is 's' or 'm' or 'h')
            {
                scale = text[i] switch { 's' => 1_000, 'm' => 60_000, _ => 3_600_000 };
                i++;
            }
            else
            {
                return false;
            }

            total += number * scale;
        }

        if (double.IsInfinity(total) || total > Max.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }
}
