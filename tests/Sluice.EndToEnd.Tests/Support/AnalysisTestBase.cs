using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.ControlPlane.Prometheus;
using Sluice.Controllers;
using Sluice.Controllers.Analysis;
using Sluice.Core.Api;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The embedded plane with the controllers, a real Prometheus (Debian's package) scraping every second an exporter
/// whose values the test sets, and helpers to create AnalysisRuns and wait for them. Every wait is on a condition;
/// no timing is asserted. Three classes derive from it so that they run side by side.
/// </summary>
public abstract class AnalysisTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ConcurrentDictionary<string, Func<double>> series = new();
    protected TestCluster Cluster { get; private set; } = null!;
    protected TestExporter Exporter { get; private set; } = null!;
    protected PrometheusServer Prometheus { get; private set; } = null!;
    private CancellationTokenSource controllersStop = new();
    private Task controllers = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Cluster = await TestCluster.StartAsync(podReadyDelay: null, controllers: false);
        Exporter = new TestExporter(Exposition);
        Prometheus = await PrometheusInstall.StartAsync(Path.Combine(Cluster.DataDir, "prometheus"), Exporter);
        StartControllers(Prometheus.Url);
    }

    public async Task DisposeAsync()
    {
        await StopControllersAsync();
        await Prometheus.DisposeAsync();
        await Exporter.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    protected static JsonObject Metric(string name, int count, int failureLimit = 0) => new()
    {
        ["name"] = name,
        ["interval"] = "2s",
        ["count"] = count,
        ["failureLimit"] = failureLimit,
        ["consecutiveErrorLimit"] = 2,
        ["provider"] = new JsonObject { ["prometheus"] = new JsonObject { ["query"] = "test_value{revision=\"{{targetRevision}}\"}" } },
        ["successCondition"] = "result >= 99",
    };

    private string Exposition()
    {
        var text = new StringBuilder("# TYPE test_value gauge\n");
        foreach (var (revision, value) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"test_value{{revision=\"{revision}\"}} {value().ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        return text.ToString();
    }

    protected void Set(string revision, double value) => series[revision] = () => value;

    protected void Set(string revision, Func<double> value) => series[revision] = value;

    /// <summary>Waits until Prometheus holds a sample of the revision's series.</summary>
    protected Task ScrapedAsync(string revision) =>
        Eventually.WaitUntilAsync(async () => await QueryAsync(Prometheus.Url, revision) is not null, Patience, () => $"Prometheus to scrape {revision} ({Exporter.Scrapes} scrapes so far)");

    protected static async Task<string?> QueryAsync(Uri prometheusUrl, string revision)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var answer = JsonNode.Parse(await http.GetStringAsync(new Uri(prometheusUrl, $"api/v1/query?query={Uri.EscapeDataString($"test_value{{revision=\"{revision}\"}}")}")));
            return answer?["data"]?["result"] is JsonArray { Count: > 0 } result ? result[0]!["value"]![1]!.GetValue<string>() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    protected Task CreateRunAsync(string name, JsonObject metric, string target, string source = "app-v1") =>
         Cluster.Api.CreateAsync(AnalysisKinds.AnalysisRun, "default", new JsonObject
        {
            ["apiVersion"] = "rollout.sluice.dev/v1alpha1",
            ["kind"] = "AnalysisRun",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["metrics"] = new JsonArray(metric),
                ["variables"] = new JsonObject { ["namespace"] = "default", ["component"] = "web", ["sourceRevision"] = source, ["targetRevision"] = target, ["batch"] = "0" },
            },
        }, CancellationToken.None);

    protected async Task<AnalysisRunStatus?> StatusAsync(string name) =>
        await Cluster.Api.GetAsync(AnalysisKinds.AnalysisRun, "default", name, CancellationToken.None) is { } obj ? SluiceJson.Deserialize<AnalysisRun>(obj).Status : null;

    protected async Task<AnalysisRunStatus> TerminalAsync(string name)
    {
        AnalysisRunStatus? status = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            status = await StatusAsync(name);
            return status?.Phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Inconclusive or AnalysisPhase.Error;
        }, Patience, () => $"run {name} to end; its status: {(status is null ? "none" : SluiceJson.Serialize(status))}");
        return status!;
    }

    protected void StartControllers(Uri prometheusAddress)
    {
        controllersStop = new CancellationTokenSource();
        var host = new ControllerHost(Cluster.Api, new HttpClient(),
            new ControllerOptions { Identity = $"analysis-{Guid.NewGuid():N}", LeaseDuration = TimeSpan.FromSeconds(2), PrometheusAddress = prometheusAddress },
            TimeProvider.System, NullLoggerFactory.Instance);
        controllers = host.RunAsync(controllersStop.Token);
    }

    protected async Task StopControllersAsync()
    {
        await controllersStop.CancelAsync();
        await controllers.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { }, TaskScheduler.Default);
        controllersStop.Dispose();
    }
}
