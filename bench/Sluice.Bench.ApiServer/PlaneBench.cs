using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.ControlPlane;

namespace Sluice.Bench.ApiServer;

/// <summary>
/// Creates, updates and watch delivery through the plane's HTTP API (real TLS, real fsync), as a client in its own
/// process: the bench starts it as a child (<c>--client DATADIR</c>), so the plane's CPU and the client's are not shared.
/// </summary>
internal sealed class PlaneBench(Uri baseUrl, string token, string caPem, BenchOptions options) : IDisposable
{
    private readonly HttpClient _http = Client(baseUrl, token, caPem);

    /// <summary>The client of the plane whose data directory is <paramref name="dataDir"/> (URL from endpoints.json, token and CA from pki/).</summary>
    public static PlaneBench For(string dataDir, BenchOptions options) => new(
        new Uri(EndpointsFile.Read(dataDir)["api"]),
        File.ReadAllText(Path.Combine(dataDir, "pki", "token")).Trim(),
        File.ReadAllText(Path.Combine(dataDir, "pki", "ca.crt")),
        options);

    public sealed record Figures(double CreatesPerSecond, double UpdatesPerSecond, double WatchP50Ms, double WatchP99Ms);

    public async Task<Figures> RunAsync()
    {
        var payload = new string('x', options.Size);
        var creates = await TimedAsync(options.Count, i => SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            ConfigMap($"bench-{i}", payload), "application/json"));
        var updates = await TimedAsync(options.Count, i => SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/default/configmaps/bench-{i}",
            new JsonObject { ["data"] = new JsonObject { ["payload"] = payload, ["n"] = $"{i}" } }.ToJsonString(), "application/merge-patch+json"));
        var (p50, p99) = await WatchLatencyAsync(payload);
        return new Figures(options.Count / creates.TotalSeconds, options.Count / updates.TotalSeconds, p50, p99);
    }

    public void Dispose() => _http.Dispose();

    private static string ConfigMap(string name, string payload) => new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["payload"] = payload },
    }.ToJsonString();

    private async Task<TimeSpan> TimedAsync(int count, Func<int, Task> write)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await write(i);
            }
        }));
        return clock.Elapsed;
    }

    private async Task SendAsync(HttpMethod method, string path, string body, string mediaType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(mediaType)) };
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// W watchers on one namespace; E writes one after another; for each (watcher, write) the time from
    /// sending the write to that watcher reading its event.
    /// </summary>
    private async Task<(double P50, double P99)> WatchLatencyAsync(string payload)
    {
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"bench-watch"}}""", "application/json");
        var from = JsonNode.Parse(await _http.GetStringAsync("/api/v1/namespaces/bench-watch/configmaps"))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var clock = Stopwatch.StartNew();
        var sentAt = new double[options.Events];
        var samples = new List<double>[options.Watchers];
        using var stop = new CancellationTokenSource();
        var ready = new CountdownEvent(options.Watchers);
        var readers = Enumerable.Range(0, options.Watchers).Select(w => Task.Run(async () =>
        {
            samples[w] = new List<double>(options.Events);
            using var response = await _http.GetAsync("/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion=" + from,
                HttpCompletionOption.ResponseHeadersRead, stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            ready.Signal();
            while (samples[w].Count < options.Events && await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var index = int.Parse(JsonNode.Parse(line)!["object"]!["metadata"]!["name"]!.GetValue<string>()["w-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                samples[w].Add(clock.Elapsed.TotalMilliseconds - Volatile.Read(ref sentAt[index]));
            }
        })).ToList();
        if (!ready.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("watchers did not connect");
        }
        for (var i = 0; i < options.Events; i++)
        {
            Volatile.Write(ref sentAt[i], clock.Elapsed.TotalMilliseconds);
            await SendAsync(HttpMethod.Post, "/api/v1/namespaces/bench-watch/configmaps",
                ConfigMap($"w-{i}", payload), "application/json");
        }
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        await Task.WhenAll(readers);
        var all = samples.SelectMany(s => s).Order().ToArray();
        return (Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static HttpClient Client(Uri baseUrl, string token, string caPem)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024 };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
