using Sluice.Core.Operations;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// <see cref="ILiveTraffic"/> from the embedded plane's data plane: its report read in-process, or as JSON from its
/// <c>traffic</c> endpoint (the URL <c>sluice up</c> records in endpoints.json). One report serves every Service asked
/// about within <see cref="Fresh"/>, so a view that asks often reads the endpoint at most a few times a second.
/// </summary>
public sealed class LiveTraffic : ILiveTraffic
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMilliseconds(500);

    private readonly Func<CancellationToken, Task<TrafficReport>> read;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);
    private (TrafficReport Report, DateTimeOffset At)? last;

    private LiveTraffic(Func<CancellationToken, Task<TrafficReport>> read, TimeProvider time)
    {
        this.read = read;
        this.time = time;
    }

    /// <summary>From a data plane in this process.</summary>
    public static LiveTraffic Of(DataPlane plane, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(plane);
        return new LiveTraffic(_ => Task.FromResult(plane.Report()), time);
    }

    /// <summary>From a data plane's <c>traffic</c> endpoint (e.g. http://127.0.0.1:PORT/traffic), read with <paramref name="http"/>.</summary>
    public static LiveTraffic Of(Uri trafficUrl, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(trafficUrl);
        ArgumentNullException.ThrowIfNull(http);
        return new LiveTraffic(async cancel => TrafficReport.FromJson(await http.GetStringAsync(trafficUrl, cancel).ConfigureAwait(false)), time);
    }

    public async Task<LiveShare?> ReadAsync(string ns, string service, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (last is not { } cached || now - cached.At > Fresh)
            {
                last = cached = (await read(cancellationToken).ConfigureAwait(false), now);
            }

            return cached.Report.Share(ns, service);
        }
        finally
        {
            gate.Release();
        }
    }
}
