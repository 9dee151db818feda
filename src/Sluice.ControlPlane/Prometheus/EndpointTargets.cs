namespace Sluice.ControlPlane.Prometheus;

/// <summary>
/// Keeps Prometheus' <c>targets.d/endpoints.json</c> equal to the metrics endpoints in <c>&lt;data-dir&gt;/endpoints.json</c>
/// (every entry named <c>metrics</c>, <c>metrics-*</c> or <c>*-metrics</c>), so an exporter registered there is
/// scraped the moment it is: a file watcher reacts to each write, a slow timer catches anything it missed.
/// </summary>
public sealed class EndpointTargets : IDisposable
{
    private readonly string dataDir;
    private readonly string prometheusDirectory;
    private readonly FileSystemWatcher watcher;
    private readonly Timer timer;
    private readonly Lock gate = new();
    private string? written;

    public EndpointTargets(string dataDir, string prometheusDirectory)
    {
        this.dataDir = dataDir;
        this.prometheusDirectory = prometheusDirectory;
        Sync();
        watcher = new FileSystemWatcher(Path.GetFullPath(dataDir), EndpointsFile.FileName) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.CreationTime };
        watcher.Changed += (_, _) => Sync();
        watcher.Created += (_, _) => Sync();
        watcher.Renamed += (_, _) => Sync();
        watcher.EnableRaisingEvents = true;
        timer = new Timer(_ => Sync(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    /// <summary>Whether an endpoints.json entry is a metrics endpoint Prometheus should scrape.</summary>
    public static bool IsMetrics(string name) =>
        name == "metrics" || name.StartsWith("metrics-", StringComparison.Ordinal) || name.EndsWith("-metrics", StringComparison.Ordinal);

    /// <summary>Reads endpoints.json and rewrites the targets file when they changed.</summary>
    public void Sync()
    {
        lock (gate)
        {
            IReadOnlyDictionary<string, string> entries;
            try
            {
                entries = EndpointsFile.Read(dataDir);
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
            {
                return;
            }

            var targets = entries
                .Where(e => IsMetrics(e.Key) && Uri.TryCreate(e.Value, UriKind.Absolute, out _))
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => (e.Key, new Uri(e.Value)))
                .ToList();
            var signature = string.Join("\n", targets.Select(t => $"{t.Key}={t.Item2}"));
            if (signature == written)
            {
                return;
            }

            PrometheusServer.WriteTargets(prometheusDirectory, "endpoints", targets);
            written = signature;
        }
    }

    public void Dispose()
    {
        watcher.Dispose();
        timer.Dispose();
    }
}
