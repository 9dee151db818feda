using System.Globalization;

namespace Sluice.Cli.Commands.Demo;

/// <summary>
/// When, on the demo's clock, a failing canary's steps were seen: its first batch began, the route first sent it
/// requests, its analysis failed, the route sent it nothing again (traffic back on the source), and every pod ran the
/// source again. The figure the analysis issue asks for is <see cref="TrafficBack"/> after <see cref="FirstBatch"/>.
/// </summary>
internal sealed class RecoveryTimeline
{
    /// <summary>How the demo's last lines begin the figure, for a bench or test to find: "Time to traffic back: 2.5s ...".</summary>
    public const string SummaryPrefix = "Time to traffic back: ";

    public TimeSpan? FirstBatch { get; set; }

    public TimeSpan? TrafficOn { get; set; }

    public TimeSpan? AnalysisFailed { get; set; }

    public TimeSpan? TrafficBack { get; set; }

    public TimeSpan? PodsBack { get; set; }

    /// <summary>From the bad version's first batch to traffic back on the source, once both were seen.</summary>
    public TimeSpan? Recovery => FirstBatch is { } first && TrafficBack is { } back ? back - first : null;

    /// <summary>The lines the demo prints about it (none before the traffic went back).</summary>
    public IReadOnlyList<string> Describe(string target, string source)
    {
        if (Recovery is not { } recovery || FirstBatch is not { } first)
        {
            return [];
        }

        string At(TimeSpan? at) => at is { } t ? $"+{Seconds(t - first)}" : "not seen";
        var order = PodsBack is { } pods && TrafficBack is { } back
            ? pods > back ? $"traffic went back {Seconds(pods - back)} before the pods did"
            : pods == back ? "traffic and pods were seen back in the same update"
            : $"the pods went back {Seconds(back - pods)} before the traffic did"
            : "the pods going back was not seen";
        return
        [
            $"traffic back on {source} {Seconds(recovery)} after {target}'s first batch began; {order}",
            $"  first batch began +0.0s, requests on {target} {At(TrafficOn)}, analysis failed {At(AnalysisFailed)}, traffic back on {source} {At(TrafficBack)}, pods back on {source} {At(PodsBack)}",
        ];
    }

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
