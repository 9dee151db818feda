using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Dashboard;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice dashboard [--address A] [--port P] [-n NS]</c>: serves the live web dashboard for the cluster the kubeconfig
/// names, acting with its identity, until SIGINT or SIGTERM; prints the URL with its token.
/// </summary>
internal static class DashboardCommand
{
    public static Command Create(ICliConsole console, ConnectionOptions connection)
    {
        var address = AddressOption("--address");
        var port = Options.Count("--port", "TCP port to serve on (default: a free port).");
        var command = new Command("dashboard", "Serve the live web dashboard for the cluster (all namespaces, or -n NS) on 127.0.0.1; prints its URL with a token.")
        {
            address, port,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            k8s.KubernetesClientConfiguration configuration;
            try
            {
                configuration = KubeConnection.Configuration(parse.GetValue(connection.Kubeconfig), parse.GetValue(connection.Context));
            }
            catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException)
            {
                await console.Error.WriteLineAsync($"error: no cluster to talk to: {e.Message}");
                return ExitCodes.Unavailable;
            }

            var options = new DashboardOptions
            {
                Address = parse.GetValue(address)!,
                Port = parse.GetValue(port) ?? 0,
                Namespace = parse.GetValue(connection.AllNamespaces) ? null : parse.GetValue(connection.Namespace),
                ClusterDescription = Describe(configuration),
            };
            return await ServeAsync(KubeConnection.Api(configuration), options, console, cancellationToken);
        });
        return command;
    }

    /// <summary>The listening address, loopback unless the operator means otherwise.</summary>
    public static Option<string> AddressOption(string name) => new(name)
    {
        Description = "Address to listen on (default 127.0.0.1); another address exposes the dashboard beyond this machine.",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public static string Describe(k8s.KubernetesClientConfiguration configuration) =>
        $"Cluster {configuration.Host}{(string.IsNullOrEmpty(configuration.CurrentContext) ? "" : $" (context {configuration.CurrentContext})")}; actions use the kubeconfig's identity, so RBAC decides what they may do.";

    private static async Task<int> ServeAsync(Controllers.Kube.IKubeApi api, DashboardOptions options, ICliConsole console, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
        using var loggers = Logging.ToStderr(LogLevel.Warning);
        RunningDashboard dashboard;
        try
        {
            dashboard = await DashboardServer.StartAsync(api, options, TimeProvider.System, loggers, stop.Token);
        }
        catch (DashboardStartException e)
        {
            await console.Error.WriteLineAsync($"error: cannot serve the dashboard: {e.Message}");
            return ExitCodes.Unavailable;
        }

        await using (dashboard)
        {
            await console.Error.WriteLineAsync($"Sluice dashboard for {(options.Namespace is null ? "all namespaces" : $"namespace {options.Namespace}")}: {dashboard.Url}");
            if (options.Address != "127.0.0.1" && options.Address != "::1")
            {
                await console.Error.WriteLineAsync($"warning: listening on {options.Address}: anyone who can reach it and has the token acts with this kubeconfig's identity");
            }

            await console.Error.WriteLineAsync("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await console.Error.WriteLineAsync("stopping");
        }

        return ExitCodes.Success;
    }
}
