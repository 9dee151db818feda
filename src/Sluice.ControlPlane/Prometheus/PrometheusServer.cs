using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Prometheus;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package) as a child process: loopback only, its data under
/// <see cref="PrometheusOptions.Directory"/>, scraping every target listed in the file_sd files of
/// <see cref="TargetsDirectory"/> (<c>targets.d/*.json</c>, re-read by Prometheus as they change). `sluice up` writes
/// one of them from the metrics endpoints in endpoints.json (<see cref="EndpointTargets"/>); tests drop their own
/// exporters beside it. A Prometheus left running by a killed `sluice up` on the same directory is stopped first (its
/// pid is kept in prometheus.pid), since it would hold the TSDB lock.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string pidFile;

    private PrometheusServer(Process process, Uri url, PrometheusOptions options, string pidFile)
    {
        this.process = process;
        this.pidFile = pidFile;
        Url = url;
        Options = options;
    }

    /// <summary>e.g. http://127.0.0.1:40123/ (the API is under api/v1).</summary>
    public Uri Url { get; }

    public PrometheusOptions Options { get; }

    public string TargetsDirectory => TargetsDirectoryOf(Options.Directory);

    /// <summary>The server's own log (stdout and stderr).</summary>
    public string LogPath => Path.Combine(Options.Directory, "prometheus.log");

    public bool HasExited => process.HasExited;

    public int ProcessId => process.Id;

    public static string TargetsDirectoryOf(string directory) => Path.Combine(directory, "targets.d");

    /// <summary>The prometheus binary on PATH, or null when it is not installed.</summary>
    public static string? FindBinary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "prometheus");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts Prometheus and waits until /-/ready answers; throws <see cref="InvalidOperationException"/> with its log when it does not.</summary>
    public static async Task<PrometheusServer> StartAsync(PrometheusOptions options, CancellationToken cancellationToken)
    {
        var binary = options.Binary ?? FindBinary() ?? throw new InvalidOperationException("prometheus is not installed (apt-get install prometheus)");
        Directory.CreateDirectory(options.Directory);
        Directory.CreateDirectory(TargetsDirectoryOf(options.Directory));
        var pidFile = Path.Combine(options.Directory, "prometheus.pid");
        StopLeftover(pidFile);

        var port = options.Port != 0 ? options.Port : FreePort(options.ListenAddress);
        var config = Path.Combine(options.Directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, Config(options, port), cancellationToken);
        var log = Path.Combine(options.Directory, "prometheus.log");
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(options.Directory, "data")}",
            $"--storage.tsdb.retention.time={options.Retention}",
            $"--web.listen-address={options.ListenAddress}:{port.ToString(CultureInfo.InvariantCulture)}",
            "--web.enable-lifecycle",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var writer = new StreamWriter(log, append: false) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Append(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Append(writer, e.Data);
        process.Exited += (_, _) => { lock (writer) { writer.Dispose(); } };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);

        var url = new Uri($"http://{options.ListenAddress}:{port.ToString(CultureInfo.InvariantCulture)}/");
        var server = new PrometheusServer(process, url, options, pidFile);
        try
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Writes <c>targets.d/NAME.json</c>: the scrape targets of one source (e.g. "endpoints"), each a full URL such as
    /// http://127.0.0.1:9464/metrics. Written to a temporary file and renamed, so Prometheus never reads half of it.
    /// </summary>
    public static void WriteTargets(string directory, string name, IEnumerable<(string Endpoint, Uri Url)> targets)
    {
        var groups = new JsonArray();
        foreach (var (endpoint, url) in targets)
        {
            groups.Add(new JsonObject
            {
                ["targets"] = new JsonArray(url.Authority),
                ["labels"] = new JsonObject
                {
                    ["__scheme__"] = url.Scheme,
                    ["__metrics_path__"] = string.IsNullOrEmpty(url.AbsolutePath) ? "/metrics" : url.AbsolutePath,
                    ["sluice_endpoint"] = endpoint,
                },
            });
        }

        var targetsDirectory = TargetsDirectoryOf(directory);
        Directory.CreateDirectory(targetsDirectory);
        var path = Path.Combine(targetsDirectory, $"{name}.json");
        var temp = Path.Combine(targetsDirectory, $".{name}.json.tmp");
        File.WriteAllText(temp, groups.ToJsonString());
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>SIGTERM (Prometheus flushes its head block), then SIGKILL after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                _ = SendSignal(process.Id, 15);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // it exited meanwhile
        }

        try
        {
            File.Delete(pidFile);
        }
        catch (DirectoryNotFoundException)
        {
            // its data directory went first (removed with the plane's)
        }

        process.Dispose();
    }

    private static string Config(PrometheusOptions options, int port)
    {
        var interval = $"{(int)Math.Max(1, options.ScrapeInterval.TotalSeconds)}s";
        var targets = Path.Combine(TargetsDirectoryOf(options.Directory), "*.json");
        return $"""
            # Written by sluice at every start: scrape whatever metrics endpoints are listed in targets.d/ (and itself).
            global:
              scrape_interval: {interval}
              scrape_timeout: {interval}
              evaluation_interval: {interval}
            scrape_configs:
              - job_name: sluice
                honor_labels: true
                tls_config:
                  insecure_skip_verify: true
                file_sd_configs:
                  - files: ['{targets}']
                    refresh_interval: {interval}
              - job_name: prometheus
                static_configs:
                  - targets: ['{options.ListenAddress}:{port.ToString(CultureInfo.InvariantCulture)}']

            """;
    }

    private static void Append(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "-/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        await Task.Delay(200, CancellationToken.None);
        var log = File.Exists(LogPath) ? await ReadShared(LogPath) : "(no log)";
        throw new InvalidOperationException($"prometheus at {Url} was not ready within {timeout.TotalSeconds:0}s{(process.HasExited ? $" (it exited with {process.ExitCode})" : "")}: {log.Trim()}");
    }

    private static async Task<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Stops a Prometheus that a killed `sluice up` left running on this directory (it holds the TSDB lock).</summary>
    private static void StopLeftover(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var leftover = Process.GetProcessById(pid);
            if (leftover.ProcessName.StartsWith("prometheus", StringComparison.Ordinal))
            {
                _ = SendSignal(pid, 15);
                if (!leftover.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    leftover.Kill();
                    leftover.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        catch (ArgumentException)
        {
            // no such process any more
        }

        File.Delete(pidFile);
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
