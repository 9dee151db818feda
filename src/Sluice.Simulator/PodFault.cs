namespace Sluice.Simulator;

/// <summary>
/// Faults a pod template asks for through the annotation <c>sim.sluice.dev/fault</c>, a comma-separated
/// list of: <c>never-ready</c>, <c>crash-loop</c>, <c>fail-after=30s</c>, <c>slow-start=10s</c>.
/// Unknown entries are ignored (and reported in the pod's condition message).
/// </summary>
internal sealed record PodFault(bool NeverReady, bool CrashLoop, TimeSpan? FailAfter, TimeSpan SlowStart, string Text)
{
    public const string Annotation = "sim.sluice.dev/fault";

    public static PodFault None { get; } = new(false, false, null, TimeSpan.Zero, "");

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
                _ => fault,
            };
        }
        return fault;
    }
}
