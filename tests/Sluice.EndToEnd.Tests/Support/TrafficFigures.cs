using System.Globalization;
using Sluice.Simulator.Traffic;
using Xunit.Abstractions;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The figures the zero-failed-requests scenarios report: per entry (router) of one population, the requests the simulated
/// clients sent and how many failed because of the rollout (no ready endpoint, no route; with healthy pods also any error a
/// pod answered). One line each, prefixed <c>FIGURES</c> so they can be collected from the test output.
/// </summary>
public static class TrafficFigures
{
    public static void Print(ITestOutputHelper output, TrafficReport report, string population, string scenario, bool podFaults = false)
    {
        var clients = report.Populations.First(p => p.Service == population || p.Service == "default/" + population);
        foreach (var entry in clients.Segments.GroupBy(s => s.Entry).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sent = entry.Sum(s => s.Counts.Sent);
            var failed = entry.Sum(s => s.Counts.FailedNoEndpoint + s.Counts.NotRouted + (podFaults ? 0 : s.Counts.Failed));
            var mirrored = entry.Sum(s => s.Revisions.Sum(r => r.Counts.Mirrored));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"FIGURES | {scenario} | {entry.Key} | sent {sent} | failed by the rollout {failed} | mirrored {mirrored}"));
        }
    }
}
