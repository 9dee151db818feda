using System.Runtime.InteropServices;
using Sluice.ControlPlane;

// Usage: Sluice.ControlPlane.TestHost <data-dir> [port]
// Prints "READY <url> <kubeconfig>" on stdout once serving; stops on SIGTERM/SIGINT.
var options = new ControlPlaneOptions
{
    DataDir = args[0],
    Port = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0,
};
using var stop = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
await using var plane = await ControlPlaneServer.StartAsync(options, TimeProvider.System);
Console.WriteLine($"READY {plane.BaseUrl} {plane.KubeconfigPath}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
return 0;
