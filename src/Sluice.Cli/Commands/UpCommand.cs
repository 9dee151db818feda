using System.CommandLine;
using System.Runtime.InteropServices;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Simulator;
using Sluice.ControlPlane;
using Sluice.Dashboard;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice up</c>: serves the embedded control plane (a Kubernetes API on SQLite) until SIGINT or
/// SIGTERM, and tells on stderr where its kubeconfig is.
/// </summary>
internal static class UpCommand
{
    public static Command Create(ICliConsole console)
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Where the store, the lock and the kubeconfig live.",
            DefaultValueFactory = _ => ControlPlaneOptions.DefaultDataDir,
        };
        var port = Options.Count("--port", "TCP port to serve on (default: a free port).");
        var listen = new Option<string>("--listen")
        {
            Description = "Address to listen on; loopback unless you mean otherwise.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var noControllers = new Option<bool>("--no-controllers") { Description = "Serve the plane without the controllers (run `sluice controller` separately)." };
        var noSimulator = new Option<bool>("--no-simulator") { Description = "Do not simulate workload controllers and kubelets (pods never appear)." };
        var nodes = Options.Count("--nodes", "Simulated nodes (default 3).");
        var metricsPort = Options.Count("--metrics-port", "Port on 127.0.0.1 for the simulated data plane's metrics (default: a free port).");
        var readyDelay = new Option<DelayRange?>("--pod-ready-delay")
        {
            Description = "How long a simulated pod takes to become ready, MIN..MAX (default 200ms..1s).",
            CustomParser = result =>
            {
                try
                {
                    return DelayRange.Parse(result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty);
                }
                catch (FormatException e)
                {
                    result.AddError($"--pod-ready-delay: {e.Message}");
                    return null;
                }
            },
        };
        var prometheus = new Option<string>("--prometheus")
        {
            Description = "Run a Prometheus (Debian's prometheus package) beside the plane, scraping its metrics endpoints: auto (when installed), on (required), off.",
            DefaultValueFactory = _ => "auto",
        };
        prometheus.AcceptOnlyFromAmong("auto", "on", "off");
        var scrapeInterval = Options.Duration("--prometheus-scrape-interval", "How often Prometheus scrapes (default 5s).", TimeSpan.FromSeconds(1));
        var dashboard = new Option<bool>("--dashboard") { Description = "Also serve the web dashboard (its URL, with a token, is printed and written to DATA_DIR/endpoints.json)." };
        var dashboardAddress = DashboardCommand.AddressOption("--dashboard-address");
        var dashboardPort = Options.Count("--dashboard-port", "The dashboard's TCP port (default: a free port).");
        var command = new Command("up", "Start the embedded control plane: a Kubernetes API server kubectl and clients use unchanged, with the Sluice controllers.")
        {
            dataDir, port, listen, noControllers, noSimulator, nodes, readyDelay, metricsPort, prometheus, scrapeInterval, dashboard, dashboardAddress, dashboardPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ControlPlaneOptions
            {
                DataDir = parse.GetValue(dataDir)!,
                Port = parse.GetValue(port) ?? 0,
                ListenAddress = parse.GetValue(listen)!,
            };
            var simulator = parse.GetValue(noSimulator)
                ? null
                : new SimulatorOptions(Nodes: parse.GetValue(nodes) ?? 3, PodReadyDelay: parse.GetValue(readyDelay));
            var board = parse.GetValue(dashboard)
                ? new DashboardOptions { Address = parse.GetValue(dashboardAddress)!, Port = parse.GetValue(dashboardPort) ?? 0 }
                : null;
            var mode = parse.GetValue(prometheus) switch { "on" => PrometheusMode.On, "off" => PrometheusMode.Off, _ => PrometheusMode.Auto };
            var choice = new PrometheusChoice(mode, parse.GetValue(scrapeInterval) ?? TimeSpan.FromSeconds(5));
            return await RunAsync(options, !parse.GetValue(noControllers), simulator, parse.GetValue(metricsPort) ?? 0, choice, board, console, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ControlPlaneOptions options, bool controllers, SimulatorOptions? simulation, int metricsPort,
        PrometheusChoice prometheus, DashboardOptions? dashboard, ICliConsole console, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
        // Created before serving: nothing that initializes the console or the network stack may run after
        // the kubeconfig line tells a waiting client (or test) that the plane is up.
        using var loggers = Logging.ToStderr();
        using var webhooks = new HttpClient();
        EmbeddedSystem system;
        try
        {
            system = await EmbeddedSystem.StartAsync(options, simulation, controllers, webhooks, loggers, stop.Token, metricsPort, prometheus);
        }
        catch (ControlPlaneStartException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Success;
        }

        await using (system)
        {
            if (dashboard is not null)
            {
                try
                {
                    await system.StartDashboardAsync(dashboard, loggers, stop.Token);
                }
                catch (DashboardStartException e)
                {
                    await console.Error.WriteLineAsync($"error: cannot serve the dashboard: {e.Message}");
                    return ExitCodes.Unavailable;
                }
            }

            // Everything is up before the kubeconfig line: clients (and tests) wait for that line.
            var plane = system.Plane;
            await console.Error.WriteLineAsync($"Sluice control plane serving at {plane.BaseUrl} (data in {plane.DataDir})");
            if (simulation is not null)
            {
                await console.Error.WriteLineAsync($"simulating {simulation.Nodes} nodes; pods become ready in {simulation.ReadyDelay}");
                if (system.Metrics is { } metrics)
                {
                    await console.Error.WriteLineAsync($"metrics: {metrics.MetricsUrl} (Istio's names; per-revision request counts at {metrics.TrafficUrl})");
                }
            }

            if (system.Prometheus is { } server)
            {
                await console.Error.WriteLineAsync($"prometheus serving at {server.Url.ToString().TrimEnd('/')} (scraping every {prometheus.ScrapeInterval.TotalSeconds:0}s the metrics endpoints of {EndpointsFile.FileName}; data in {server.Options.Directory})");
            }
            else
            {
                await console.Error.WriteLineAsync(system.PrometheusNote ?? "prometheus not running");
            }

            await console.Error.WriteLineAsync(controllers ? "controllers running" : "controllers not running (--no-controllers): start `sluice controller`");
            if (system.Dashboard is { } board)
            {
                await console.Error.WriteLineAsync($"dashboard: {board.Url}");
            }

            await console.Error.WriteLineAsync($"kubeconfig: {plane.KubeconfigPath}");
            await console.Error.WriteLineAsync($"  export KUBECONFIG={plane.KubeconfigPath}");
            await console.Error.WriteLineAsync("Press Ctrl+C to stop.");
            try
            {
                await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), system.Controllers);
            }
            catch (OperationCanceledException)
            {
            }

            await console.Error.WriteLineAsync("stopping");
        }

        return ExitCodes.Success;
    }
}
