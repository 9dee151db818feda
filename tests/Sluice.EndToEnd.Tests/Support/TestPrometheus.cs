using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// Debian's Prometheus (installed with apt-get when missing, as .ci/run does) scraping the given targets every second,
/// on a loopback port with its data in a temporary folder; queried through its HTTP API.
/// </summary>
public sealed class TestPrometheus : IAsyncDisposable
{
    private const string Binary = "/usr/bin/prometheus";
    private readonly Process process;
    private readonly string dir;
    private readonly HttpClient http = new();

    private TestPrometheus(Process process, string dir, Uri url)
    {
        this.process = process;
        this.dir = dir;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> (base URLs; /metrics is scraped) and waits until it is ready.</summary>
    public static async Task<TestPrometheus> StartAsync(params Uri[] targets)
    {
        await EnsureInstalledAsync();
        var dir = Path.Combine(Path.GetTempPath(), "sluice-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: sluice-controller
                metrics_path: /metrics
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"\"{t.Authority}\""))}]
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new TestPrometheus(process, dir, new Uri($"http://127.0.0.1:{port}/"));
        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                return process.HasExited || (await server.http.GetAsync(new Uri(server.Url, "-/ready"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => "prometheus to be ready");
        if (process.HasExited)
        {
            throw new InvalidOperationException($"prometheus exited with {process.ExitCode}");
        }

        return server;
    }

    /// <summary>An instant query's result vector (<c>data.result</c>); throws when Prometheus refuses the query.</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        var answer = await GetAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        return answer["data"]?["result"] as JsonArray ?? [];
    }

    /// <summary>Every metric name Prometheus has series of.</summary>
    public async Task<IReadOnlySet<string>> NamesAsync()
    {
        var answer = await GetAsync("api/v1/label/__name__/values");
        return (answer["data"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToHashSet();
    }

    /// <summary>Waits until <paramref name="promql"/> returns at least one sample (a scrape has happened since).</summary>
    public async Task<JsonArray> WaitForAsync(string promql, TimeSpan? timeout = null)
    {
        JsonArray result = [];
        await Eventually.WaitUntilAsync(async () => (result = await QueryAsync(promql)).Count > 0, timeout ?? TimeSpan.FromSeconds(60), () => $"prometheus to answer {promql}");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        http.Dispose();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The value of a vector sample.</summary>
    public static double Value(JsonNode? sample) => double.Parse(sample!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private async Task<JsonObject> GetAsync(string path)
    {
        using var response = await http.GetAsync(new Uri(Url, path));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())?.AsObject() ?? [];
        if (body["status"]?.GetValue<string>() != "success")
        {
            throw new InvalidOperationException($"prometheus refused {path}: {body.ToJsonString()}");
        }

        return body;
    }

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(Binary))
        {
            return;
        }

        foreach (var args in (string[][])[["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "prometheus"]])
        {
            var start = new ProcessStartInfo("apt-get") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var apt = Process.Start(start)!;
            await apt.WaitForExitAsync();
        }

        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"prometheus is not at {Binary} and apt-get could not install it (apt-get install prometheus)");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
