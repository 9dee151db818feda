using Microsoft.Extensions.Logging;
using Sluice.Controllers;
using Sluice.Controllers.Kube;
using Sluice.ControlPlane;
using Sluice.Dashboard;
using Sluice.Simulator;
using Sluice.Simulator.Traffic;

namespace Sluice.Cli.Hosting;

/// <summary>
/// The embedded default, composed once for `sluice up` and `sluice demo`: the control plane, the workload
/// simulator on its store with its data plane (simulated clients, Istio's metrics on a loopback port recorded as
/// <c>metrics</c> and <c>traffic</c> in endpoints.json), and the controllers speaking HTTP to the plane (the same code
/// path as on a cluster).
/// </summary>
internal sealed class EmbeddedSystem : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task controllers;

    private EmbeddedSystem(RunningControlPlane plane, WorkloadSimulator? simulator, DataPlane? traffic, TrafficEndpoint? metrics, KubeApi api, CancellationTokenSource stop, Task controllers)
    {
        Plane = plane;
        Simulator = simulator;
        Traffic = traffic;
        Metrics = metrics;
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

    /// <summary>A client of the plane, as any program would use it.</summary>
    public KubeApi Api { get; }

    /// <summary>The web dashboard, once <see cref="StartDashboardAsync"/> started it.</summary>
    public RunningDashboard? Dashboard { get; private set; }

    /// <summary>Completes when the controllers stop (on disposal, or with an error).</summary>
    public Task Controllers => controllers;

    /// <exception cref="ControlPlaneStartException">The data directory is in use, or the port is taken.</exception>
    /// <param name="metricsPort">The data plane's metrics port on 127.0.0.1 (0: a free one).</param>
    public static async Task<EmbeddedSystem> StartAsync(ControlPlaneOptions plane, SimulatorOptions? simulation, bool runControllers,
        HttpClient webhooks, ILoggerFactory loggers, CancellationToken cancellationToken, int metricsPort = 0)
    {
        var running = await ControlPlaneServer.StartAsync(plane, TimeProvider.System, cancellationToken);
        WorkloadSimulator? simulator = null;
        DataPlane? traffic = null;
        TrafficEndpoint? metrics = null;
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
        }
        catch
        {
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
        var host = runControllers
            ? new ControllerHost(api, webhooks, new ControllerOptions { Identity = $"sluice-{Environment.ProcessId}", HealthPort = 0 }, TimeProvider.System, loggers)
            : null;
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
        return new EmbeddedSystem(running, simulator, traffic, metrics, api, stop, controllers);
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

    public async ValueTask DisposeAsync()
    {
        if (Dashboard is not null)
        {
            Plane.Endpoints.Remove("dashboard");
            await Dashboard.DisposeAsync();
        }

        await stop.CancelAsync();
        await controllers.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
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
