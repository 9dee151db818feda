using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Sluice.ControlPlane;
using Sluice.Controllers;
using Sluice.Controllers.Kube;
using Sluice.Simulator;
using Sluice.Testing;

namespace Sluice.Dashboard.Tests.Support;

/// <summary>
/// The embedded system as <c>sluice up --dashboard</c> runs it, in-process on free ports: the control plane, simulated
/// pods, the controllers, and the dashboard talking to the plane over HTTPS with the kubeconfig; plus one headless
/// chromium for the whole collection. Each test works in namespaces of its own.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "sluice-dashboard-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource stop = new();
    private RunningControlPlane? plane;
    private WorkloadSimulator? simulator;
    private Task? controllers;

    public RunningDashboard Dashboard { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    internal IKubeApi Api { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        var browser = StartBrowserAsync();
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, TimeProvider.System);
        simulator = await WorkloadSimulator.StartAsync(plane.Store, new SimulatorOptions(Nodes: 3, PodReadyDelay: DelayRange.Parse("300ms..500ms")), TimeProvider.System);
        Api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(plane.KubeconfigPath));
        Kubectl = new Kubectl(plane.KubeconfigPath);
        controllers = new ControllerHost(Api, new HttpClient(), new ControllerOptions { Identity = "dashboard-tests", LeaseDuration = TimeSpan.FromSeconds(3) }, TimeProvider.System, NullLoggerFactory.Instance)
            .RunAsync(stop.Token);
        Dashboard = await DashboardServer.StartAsync(Api, new DashboardOptions { ClusterDescription = "test cluster" }, TimeProvider.System, NullLoggerFactory.Instance);
        await browser;
    }

    private async Task StartBrowserAsync()
    {
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(Playwright);
    }

    /// <summary>A fresh browser context (no cookie) and a page that has opened the dashboard's URL with its token.</summary>
    public async Task<IPage> OpenAsync(string path = "/", int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Dashboard.Url);
        if (path != "/")
        {
            await page.GotoAsync(Dashboard.BaseUrl + path.TrimStart('/'));
        }

        return page;
    }

    /// <summary>Applies YAML with kubectl in <paramref name="ns"/>, creating the namespace first.</summary>
    public async Task ApplyAsync(string ns, string yaml)
    {
        var file = Path.Combine(dataDir, $"manifest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n---\n{yaml}");
        await Kubectl.RunAsync("apply", "-n", ns, "-f", file);
    }

    public async Task<JsonObject> RolloutAsync(string ns, string name) =>
        await Api.GetAsync(ResourceKind.AppRollout, ns, name, CancellationToken.None) ?? throw new InvalidOperationException($"approllout {ns}/{name} not found");

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Dashboard.DisposeAsync();
        await stop.CancelAsync();
        await (controllers ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        if (simulator is not null)
        {
            await simulator.DisposeAsync();
        }

        await plane!.DisposeAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "browser";
}
