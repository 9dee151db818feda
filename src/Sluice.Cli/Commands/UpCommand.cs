using System.CommandLine;
using System.Runtime.InteropServices;
using Sluice.Cli.Output;
using Sluice.ControlPlane;

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
        var command = new Command("up", "Start the embedded control plane: a Kubernetes API server kubectl and clients use unchanged.")
        {
            dataDir, port, listen,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ControlPlaneOptions
            {
                DataDir = parse.GetValue(dataDir)!,
                Port = parse.GetValue(port) ?? 0,
                ListenAddress = parse.GetValue(listen)!,
            };
            return await RunAsync(options, console, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ControlPlaneOptions options, ICliConsole console, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
        RunningControlPlane plane;
        try
        {
            plane = await ControlPlaneServer.StartAsync(options, TimeProvider.System, stop.Token);
        }
        catch (ControlPlaneStartException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }

        await using (plane)
        {
            await console.Error.WriteLineAsync($"Sluice control plane serving at {plane.BaseUrl} (data in {plane.DataDir})");
            await console.Error.WriteLineAsync($"kubeconfig: {plane.KubeconfigPath}");
            await console.Error.WriteLineAsync($"  export KUBECONFIG={plane.KubeconfigPath}");
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
