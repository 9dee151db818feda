using System.Globalization;
using System.Text;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// The requests as Istio's standard metrics, in Prometheus's text format: <c>istio_requests_total</c> (counter) and
/// <c>istio_request_duration_milliseconds</c> (histogram, Istio's default buckets), with Istio's labels. Requests that
/// reached a pod are reported by the destination (<c>reporter="destination"</c>, <c>destination_version</c> = the pod's
/// revision); requests that found no endpoint or no route never reach one, so, as in Istio, only the source reports them
/// (<c>reporter="source"</c>, <c>response_flags</c> "UH" or "NR", destination workload and version "unknown").
/// </summary>
internal sealed class IstioMetrics
{
    /// <summary>Istio's default buckets for istio_request_duration_milliseconds.</summary>
    public static readonly double[] Buckets = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly Dictionary<Labels, Series> series = [];

    /// <summary>Adds <paramref name="count"/> requests with these labels; <paramref name="latencies"/> gives each one's duration.</summary>
    public void Add(Labels labels, long count, IEnumerable<double> latencies)
    {
        if (count <= 0)
        {
            return;
        }

        if (!series.TryGetValue(labels, out var s))
        {
            series[labels] = s = new Series(new long[Buckets.Length]);
        }

        s.Count += count;
        foreach (var latency in latencies)
        {
            s.Sum += latency;
            var bucket = Array.FindIndex(Buckets, b => latency <= b);
            if (bucket >= 0)
            {
                s.Buckets[bucket]++;
            }
        }
    }

    public void Write(TextWriter writer)
    {
        writer.Write("# HELP istio_requests_total Total number of requests (Sluice's simulated data plane, Istio's names and labels).\n");
        writer.Write("# TYPE istio_requests_total counter\n");
        var ordered = series.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal).ToList();
        foreach (var (labels, s) in ordered)
        {
            writer.Write($"istio_requests_total{{{labels}}} {s.Count.ToString(CultureInfo.InvariantCulture)}\n");
        }

        writer.Write("# HELP istio_request_duration_milliseconds Duration of requests in milliseconds.\n");
        writer.Write("# TYPE istio_request_duration_milliseconds histogram\n");
        foreach (var (labels, s) in ordered)
        {
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += s.Buckets[i];
                writer.Write($"istio_request_duration_milliseconds_bucket{{{labels},le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
            }

            writer.Write($"istio_request_duration_milliseconds_bucket{{{labels},le=\"+Inf\"}} {s.Count.ToString(CultureInfo.InvariantCulture)}\n");
            writer.Write($"istio_request_duration_milliseconds_sum{{{labels}}} {s.Sum.ToString("0.###", CultureInfo.InvariantCulture)}\n");
            writer.Write($"istio_request_duration_milliseconds_count{{{labels}}} {s.Count.ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    /// <summary>Istio's standard labels of one series.</summary>
    internal readonly record struct Labels(
        string Reporter,
        string SourceWorkload,
        string SourceWorkloadNamespace,
        string DestinationService,
        string DestinationServiceName,
        string DestinationServiceNamespace,
        string DestinationWorkload,
        string DestinationWorkloadNamespace,
        string DestinationVersion,
        string ResponseCode,
        string ResponseFlags)
    {
        public override string ToString()
        {
            var text = new StringBuilder();
            void Add(string name, string value)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }

                text.Append(name).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
            }

            Add("reporter", Reporter);
            Add("source_workload", SourceWorkload);
            Add("source_workload_namespace", SourceWorkloadNamespace);
            Add("destination_service", DestinationService);
            Add("destination_service_name", DestinationServiceName);
            Add("destination_service_namespace", DestinationServiceNamespace);
            Add("destination_workload", DestinationWorkload);
            Add("destination_workload_namespace", DestinationWorkloadNamespace);
            Add("destination_version", DestinationVersion);
            Add("request_protocol", "http");
            Add("response_code", ResponseCode);
            Add("response_flags", ResponseFlags);
            return text.ToString();
        }
    }

    private sealed class Series(long[] buckets)
    {
        public long Count { get; set; }

        public double Sum { get; set; }

        public long[] Buckets { get; } = buckets;
    }
}
