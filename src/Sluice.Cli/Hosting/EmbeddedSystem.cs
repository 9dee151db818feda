using Microsoft.Extensions.Logging;
using Sluice.Controllers;
using Sluice.Controllers.Kube;
using Sluice.ControlPlane;
using Sluice.Dashboard;
using Sluice.Simulator;

namespace Sluice.Cli.Hosting;

/// <summary>
/// The embedded default, composed once for `sluice up` and `sluice demo`: the control plane, the workload
/// simulator on its store, and the controllers speaking HTTP to it (the same code path as on a cluster).
/// </summary>
internal sealed class EmbeddedSystem : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task controllers;

    private EmbeddedSystem(RunningControlPlane plane, WorkloadSimulator? simulator, KubeApi api, CancellationTokenSource stop, Task controllers)
    {
        Plane = plane;
        Simulator = simulator;
        Api = api;
        this.stop = stop;
        this.controllers = controllers;
    }

    public RunningControlPlane Plane { get; }

    public WorkloadSimulator? Simulator { get; }

    /// <summary>A client of the plane, as any program would use it.</summary>
    public KubeApi Api { get; }

    /// <summary>The web dashboard, once <see cref="StartDashboardAsync"/> started it.</summary>
    public RunningDashboard? Dashboard { get; private set; }

    /// <summary>Completes when the controllers stop (on disposal, or with an error).</summary>
    public Task Controllers => controllers;

    /// <exception cref="ControlPlaneStartException">The data directory is in use, or the port is taken.</exception>
    public static async Task<EmbeddedSystem> StartAsync(ControlPlaneOptions plane, SimulatorOptions? simulation, bool runControllers,
        HttpClient webhooks, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var running = await ControlPlaneServer.StartAsync(plane, TimeProvider.System, cancellationToken);
        WorkloadSimulator? simulator = null;
        try
        {
            if (simulation is not null)
            {
                simulator = await WorkloadSimulator.StartAsync(running.Store, simulation, TimeProvider.System, cancellationToken);
            }
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }

        var api = KubeApi.FromConfig(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(running.KubeconfigPath));
        var stop = new CancellationTokenSource();
        var controllers = runControllers
            ? new ControllerHost(api, webhooks, new ControllerOptions { Identity = $"sluice-{Environment.ProcessId}" }, TimeProvider.System, loggers).RunAsync(stop.Token)
            : Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return new EmbeddedSystem(running, simulator, api, stop, controllers);
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
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        await Plane.DisposeAsync();
        stop.Dispose();
    }
}
