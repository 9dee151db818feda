using System.Globalization;
using System.Text;

namespace Sluice.Core.Analysis;

/// <summary>
/// Durations as Go, Prometheus and Kubernetes write them: a sequence of number-unit pairs with units ms, s, m, h
/// (and d, as PromQL allows). Examples: "30s", "1m30s", "500ms", "1.5h"; a bare "0" is zero.
/// </summary>
public static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        var total = 0.0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            double? unitMs = s[unitStart..i] switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => null,
            };
            if (unitMs is not { } ms)
            {
                return false;
            }

            total += number * ms;
        }

        if (total > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>The shortest Go/PromQL form: 90 s is "1m30s", 0.5 s "500ms", zero "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        var ms = (long)Math.Round(duration.TotalMilliseconds);
        foreach (var (unit, size) in (ReadOnlySpan<(string, long)>)[("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)])
        {
            if (ms >= size)
            {
                text.Append((ms / size).ToString(CultureInfo.InvariantCulture)).Append(unit);
                ms %= size;
            }
        }

        return text.ToString();
    }
}
