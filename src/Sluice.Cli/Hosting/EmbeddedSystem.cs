using Microsoft.Extensions.Logging;
using Sluice.Controllers;
using Sluice.Controllers.Kube;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Prometheus;
using Sluice.Dashboard;
using Sluice.Simulator;
using Sluice.Simulator.Traffic;

namespace Sluice.Cli.Hosting;

/// <summary>
/// The embedded default, composed once for `sluice up` and `sluice demo`: the control plane, the workload
/// simulator on its store with its data plane (simulated clients, Istio's metrics on a loopback port recorded as
/// <c>metrics</c> and <c>traffic</c> in endpoints.json), a real Prometheus scraping the plane's metrics endpoints (when
/// installed and asked for), and the controllers speaking HTTP to the plane (the same code path as on a cluster).
/// </summary>
internal sealed class EmbeddedSystem : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task controllers;
    private readonly EndpointTargets? targets;

    private EmbeddedSystem(RunningControlPlane plane, WorkloadSimulator? simulator, DataPlane? traffic, TrafficEndpoint? metrics,
        PrometheusServer? prometheus, EndpointTargets? targets, string? prometheusNote, KubeApi api, CancellationTokenSource stop, Task controllers)
    {
        Plane = plane;
        Simulator = simulator;
        Traffic = traffic;
        Metrics = metrics;
        Prometheus = prometheus;
        PrometheusNote = prometheusNote;
        this.targets = targets;
        Api = api;
        this.stop = stop;
        this.controllers = controllers;
    }

    public RunningControlPlane Plane { get; }

    public WorkloadSimulator? Simulator { get; }

    /// <summary>The simulated data plane (with the simulator only).</summary>
    public DataPlane? Traffic { get; }

    /// <summary>Where the data plane's metrics are served (with the simulator only).</summary>
    public TrafficEndpoint? Metrics { get; }

    /// <summary>The Prometheus beside the plane, when it runs.</summary>
    public PrometheusServer? Prometheus { get; }

    /// <summary>Why no Prometheus runs (not installed, or --prometheus off), for `sluice up` to say.</summary>
    public string? PrometheusNote { get; }

    /// <summary>A client of the plane, as any program would use it.</summary>
    public KubeApi Api { get; }

    /// <summary>The web dashboard, once <see cref="StartDashboardAsync"/> started it.</summary>
    public RunningDashboard? Dashboard { get; private set; }

    /// <summary>Completes when the controllers stop (on disposal, or with an error).</summary>
    public Task Controllers => controllers;

    /// <exception cref="ControlPlaneStartException">The data directory is in use, a port is taken, or Prometheus was required and could not start.</exception>
    /// <param name="metricsPort">The data plane's metrics port on 127.0.0.1 (0: a free one).</param>
    public static async Task<EmbeddedSystem> StartAsync(ControlPlaneOptions plane, SimulatorOptions? simulation, bool runControllers,
        HttpClient webhooks, ILoggerFactory loggers, CancellationToken cancellationToken, int metricsPort = 0, PrometheusChoice? prometheus = null)
    {
        var running = await ControlPlaneServer.StartAsync(plane, TimeProvider.System, cancellationToken);
        WorkloadSimulator? simulator = null;
        DataPlane? traffic = null;
        TrafficEndpoint? metrics = null;
        PrometheusServer? server = null;
        EndpointTargets? targets = null;
        string? note;
        try
        {
            if (simulation is not null)
            {
                simulator = await WorkloadSimulator.StartAsync(running.Store, simulation, TimeProvider.System, cancellationToken);
                traffic = await DataPlane.StartAsync(running.Store, new DataPlaneOptions(), TimeProvider.System, cancellationToken);
                try
                {
                    metrics = await TrafficEndpoint.StartAsync(traffic, metricsPort, cancellationToken);
                }
                catch (IOException e)
                {
                    throw new ControlPlaneStartException($"--metrics-port: 127.0.0.1:{metricsPort} is already in use ({e.Message}); choose another port, or leave --metrics-port out for a free one", e);
                }

                running.Endpoints.Set("metrics", metrics.MetricsUrl.ToString());
                running.Endpoints.Set("traffic", metrics.TrafficUrl.ToString());
            }

            (server, note) = await StartPrometheusAsync(prometheus ?? PrometheusChoice.Off, running, cancellationToken);
            if (server is not null)
            {
                running.Endpoints.Set("prometheus", server.Url.ToString().TrimEnd('/'));
                targets = new EndpointTargets(running.DataDir, server.Options.Directory);
            }
        }
        catch
        {
            targets?.Dispose();
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (metrics is not null)
            {
                await metrics.DisposeAsync();
            }

            if (traffic is not null)
            {
                await traffic.DisposeAsync();
            }

            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }

            await running.DisposeAsync();
            throw;
        }

        var api = KubeApi.FromConfig(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(running.KubeconfigPath));
        var stop = new CancellationTokenSource();
        // The controllers' health port (a free loopback one) serves their /metrics, recorded as controller-metrics.
        var options = new ControllerOptions { Identity = $"sluice-{Environment.ProcessId}", HealthPort = 0, PrometheusAddress = server?.Url };
        var host = runControllers ? new ControllerHost(api, webhooks, options, TimeProvider.System, loggers) : null;
        var controllers = host?.RunAsync(stop.Token) ?? Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        _ = host?.HealthStarted.ContinueWith(
            started =>
            {
                if (started.IsCompletedSuccessfully && started.Result is { } url)
                {
                    running.Endpoints.Set("controller-metrics", new Uri(url, "metrics").ToString());
                }
            },
            TaskScheduler.Default);
        return new EmbeddedSystem(running, simulator, traffic, metrics, server, targets, note, api, stop, controllers);
    }

    /// <summary>
    /// Serves the web dashboard against the plane (as its admin, the kubeconfig's identity) and records its URL, token
    /// included, as <c>dashboard</c> in the data directory's endpoints.json.
    /// </summary>
    /// <exception cref="DashboardStartException">The address is not one, or the port is taken.</exception>
    public async Task<RunningDashboard> StartDashboardAsync(DashboardOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Dashboard = await DashboardServer.StartAsync(Api, options with { ClusterDescription = $"The embedded control plane at {Plane.BaseUrl} (data in {Plane.DataDir})." },
            TimeProvider.System, loggers, cancellationToken);
        Plane.Endpoints.Set("dashboard", Dashboard.Url);
        return Dashboard;
    }

    /// <summary>Starts Prometheus as asked: (the server, null), or (null, why not).</summary>
    private static async Task<(PrometheusServer? Server, string? Note)> StartPrometheusAsync(PrometheusChoice choice, RunningControlPlane plane, CancellationToken cancellationToken)
    {
        if (choice.Mode == PrometheusMode.Off)
        {
            return (null, "prometheus off (--prometheus off)");
        }

        if (PrometheusServer.FindBinary() is null)
        {
            const string missing = "prometheus is not installed (apt-get install prometheus); metrics without an address cannot be measured";
            return choice.Mode == PrometheusMode.On ? throw new ControlPlaneStartException($"--prometheus on: {missing}") : (null, missing);
        }

        try
        {
            var options = new PrometheusOptions { Directory = Path.Combine(plane.DataDir, "prometheus"), ScrapeInterval = choice.ScrapeInterval };
            return (await PrometheusServer.StartAsync(options, cancellationToken), null);
        }
        catch (InvalidOperationException e)
        {
            return choice.Mode == PrometheusMode.On ? throw new ControlPlaneStartException($"prometheus did not start: {e.Message}", e) : (null, $"prometheus did not start: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Dashboard is not null)
        {
            Plane.Endpoints.Remove("dashboard");
            await Dashboard.DisposeAsync();
        }

        await stop.CancelAsync();
        await controllers.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        targets?.Dispose();
        if (Prometheus is not null)
        {
            Plane.Endpoints.Remove("prometheus");
            await Prometheus.DisposeAsync();
        }

        if (Metrics is not null)
        {
            await Metrics.DisposeAsync();
            Plane.Endpoints.Remove("metrics");
            Plane.Endpoints.Remove("traffic");
        }

        if (Traffic is not null)
        {
            await Traffic.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        await Plane.DisposeAsync();
        stop.Dispose();
    }
}
