using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Simulator;

/// <summary>
/// Kubernetes' int-or-string values such as <c>maxSurge: 25%</c>, scaled against a total.
/// Worked examples: 25% of 10 rounded up is 3 and rounded down is 2; "3" is 3; 30% of 10 is 3 either way.
/// </summary>
internal static class IntOrPercent
{
    public static int Scaled(JsonNode? value, int total, bool roundUp, int fallback)
    {
        switch (value)
        {
            case JsonValue v when v.TryGetValue<int>(out var n):
                return n;
            case JsonValue v when v.TryGetValue<long>(out var l):
                return (int)l;
            case JsonValue v when v.TryGetValue<string>(out var s):
                s = s.Trim();
                if (s.EndsWith('%') && int.TryParse(s[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
                {
                    var exact = (long)percent * total;
                    return (int)(roundUp ? (exact + 99) / 100 : exact / 100);
                }
                return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var plain) ? plain : fallback;
            default:
                return fallback;
        }
    }
}
