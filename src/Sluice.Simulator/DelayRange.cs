namespace Sluice.Simulator;

/// <summary>
/// A range of delays, written <c>MIN..MAX</c> (<c>200ms..1s</c>) or as one value (<c>500ms</c>).
/// Each pod draws its own delay from the range, deterministically from its uid.
/// </summary>
public sealed record DelayRange(TimeSpan Min, TimeSpan Max)
{
    public static DelayRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2)
        {
            throw new FormatException($"'{text}' is not a delay range such as 200ms..1s");
        }
        var min = DurationText.Parse(parts[0]);
        var max = parts.Length == 2 ? DurationText.Parse(parts[1]) : min;
        return max < min ? throw new FormatException($"'{text}': the upper bound is below the lower bound") : new DelayRange(min, max);
    }

    /// <summary>The point of the range a key (a pod uid) falls on: stable for the key, spread over the range.</summary>
    public TimeSpan Pick(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }
        var fraction = hash % 1001 / 1000.0;
        return Min + ((Max - Min) * fraction);
    }

    public override string ToString() => $"{Min.TotalMilliseconds}ms..{Max.TotalMilliseconds}ms";
}
