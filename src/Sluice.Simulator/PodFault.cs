namespace Sluice.Simulator;

/// <summary>
/// Faults a pod template asks for through the annotation <c>sim.sluice.dev/fault</c>, a comma-separated
/// list of: <c>never-ready</c>, <c>crash-loop</c>, <c>fail-after=30s</c>, <c>slow-start=10s</c> (the kubelet), and
/// <c>error-rate=20%</c> (that share of the requests it serves answered 500) and <c>latency=300ms</c> (each request
/// takes about that long) (the simulated data plane). Unknown entries are ignored (and reported in the pod's
/// condition message).
/// </summary>
internal sealed record PodFault(bool NeverReady, bool CrashLoop, TimeSpan? FailAfter, TimeSpan SlowStart, string Text)
{
    public const string Annotation = "sim.sluice.dev/fault";

    public static PodFault None { get; } = new(false, false, null, TimeSpan.Zero, "");

    /// <summary>Percent of requests answered 500, 0 to 100.</summary>
    public double ErrorRate { get; init; }

    /// <summary>How long a request takes (about: the data plane spreads it by half either way), or null for the default.</summary>
    public TimeSpan? Latency { get; init; }

    public static PodFault Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }
        var fault = None with { Text = text.Trim() };
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = entry.IndexOf('=') is var at and > 0 ? (entry[..at].Trim(), entry[(at + 1)..].Trim()) : (entry, "");
            fault = key switch
            {
                "never-ready" => fault with { NeverReady = true },
                "crash-loop" => fault with { CrashLoop = true },
                "fail-after" when DurationText.TryParse(value, out var after) => fault with { FailAfter = after },
                "slow-start" when DurationText.TryParse(value, out var slow) => fault with { SlowStart = slow },
                "error-rate" when Percent(value) is { } rate => fault with { ErrorRate = rate },
                "latency" when DurationText.TryParse(value, out var latency) => fault with { Latency = latency },
                _ => fault,
            };
        }
        return fault;
    }

    /// <summary>"20%" or "0.5%" as 20 or 0.5; null when not a percent from 0 to 100.</summary>
    private static double? Percent(string text) =>
        text.EndsWith('%')
        && double.TryParse(text[..^1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && value is >= 0 and <= 100
            ? value
            : null;
}
