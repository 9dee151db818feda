using System.Globalization;

namespace Sluice.Core.Plans;

/// <summary>
/// The percent strings of traffic fields (<c>traffic</c>, <c>mirror</c>): a whole number from 0 to 100 followed by
/// <c>%</c>. Routers take whole weights (Gateway API, Istio and NGINX all do), so fractions are refused.
/// Examples: "10%" is 10; "100%" is 100; "0%" is 0; "10", "10.5%", "-1%", "101%" and " 10%" are malformed.
/// </summary>
public static class TrafficPercent
{
    public static bool TryParse(string? text, out int percent)
    {
        percent = 0;
        if (text is null || text.Length < 2 || text.Length > 4 || text[^1] != '%')
        {
            return false;
        }

        var digits = text[..^1];
        return digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out percent)
            && percent <= 100;
    }

    public static string Format(int percent) => percent.ToString(CultureInfo.InvariantCulture) + "%";
}
