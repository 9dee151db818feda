using Microsoft.Extensions.Logging;
using Sluice.Controllers;
using Sluice.Controllers.Kube;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Prometheus;
using Sluice.Simulator;

namespace Sluice.Cli.Hosting;

/// <summary>
/// The embedded default, composed once for `sluice up` and `sluice demo`: the control plane, the workload
/// simulator on its store, a real Prometheus scraping the plane's metrics endpoints (when installed and asked for),
/// and the controllers speaking HTTP to it (the same code path as on a cluster).
/// </summary>
internal sealed class EmbeddedSystem : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task controllers;

    private readonly EndpointTargets? targets;

    private EmbeddedSystem(RunningControlPlane plane, WorkloadSimulator? simulator, PrometheusServer? prometheus, EndpointTargets? targets, string? prometheusNote, KubeApi api, CancellationTokenSource stop, Task controllers)
    {
        Plane = plane;
        Simulator = simulator;
        Prometheus = prometheus;
        PrometheusNote = prometheusNote;
        this.targets = targets;
        Api = api;
        this.stop = stop;
        this.controllers = controllers;
    }

    public RunningControlPlane Plane { get; }

    public WorkloadSimulator? Simulator { get; }

    /// <summary>The Prometheus beside the plane, when it runs.</summary>
    public PrometheusServer? Prometheus { get; }

    /// <summary>Why no Prometheus runs (not installed, or --prometheus off), for `sluice up` to say.</summary>
    public string? PrometheusNote { get; }

    /// <summary>A client of the plane, as any program would use it.</summary>
    public KubeApi Api { get; }

    /// <summary>Completes when the controllers stop (on disposal, or with an error).</summary>
    public Task Controllers => controllers;

    /// <exception cref="ControlPlaneStartException">The data directory is in use, the port is taken, or Prometheus was required and could not start.</exception>
    public static async Task<EmbeddedSystem> StartAsync(ControlPlaneOptions plane, SimulatorOptions? simulation, bool runControllers,
        HttpClient webhooks, ILoggerFactory loggers, CancellationToken cancellationToken, PrometheusChoice? prometheus = null)
    {
        var running = await ControlPlaneServer.StartAsync(plane, TimeProvider.System, cancellationToken);
        WorkloadSimulator? simulator = null;
        PrometheusServer? server = null;
        EndpointTargets? targets = null;
        string? note;
        try
        {
            if (simulation is not null)
            {
                simulator = await WorkloadSimulator.StartAsync(running.Store, simulation, TimeProvider.System, cancellationToken);
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

            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }

            await running.DisposeAsync();
            throw;
        }

        var api = KubeApi.FromConfig(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(running.KubeconfigPath));
        var stop = new CancellationTokenSource();
        var options = new ControllerOptions { Identity = $"sluice-{Environment.ProcessId}", PrometheusAddress = server?.Url };
        var controllers = runControllers
            ? new ControllerHost(api, webhooks, options, TimeProvider.System, loggers).RunAsync(stop.Token)
            : Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return new EmbeddedSystem(running, simulator, server, targets, note, api, stop, controllers);
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
        await stop.CancelAsync();
        await controllers.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        targets?.Dispose();
        if (Prometheus is not null)
        {
            Plane.Endpoints.Remove("prometheus");
            await Prometheus.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        await Plane.DisposeAsync();
        stop.Dispose();
    }
}
