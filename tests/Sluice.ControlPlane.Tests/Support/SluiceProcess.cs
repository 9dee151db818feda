using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sluice.ControlPlane.Tests.Support;

/// <summary>`sluice up` as its own process (the built binary, not `dotnet run`, so signals reach it).</summary>
public sealed class SluiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _kubeconfig = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();

    private SluiceProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _kubeconfig.TrySetException(new InvalidOperationException("sluice up exited: " + Stderr));
                return;
            }
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
            if (e.Data.StartsWith("kubeconfig: ", StringComparison.Ordinal))
            {
                _kubeconfig.TrySetResult(e.Data["kubeconfig: ".Length..].Trim());
            }
        };
        _process.BeginErrorReadLine();
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Process Process => _process;

    public static string Binary
    {
        get
        {
            // tests/Sluice.ControlPlane.Tests/bin/<Configuration>/net10.0/ -> src/Sluice.Cli/bin/<Configuration>/net10.0/sluice.dll
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            return Path.Combine(RepoPaths.Root, "src", "Sluice.Cli", "bin", configuration, framework, "sluice.dll");
        }
    }

    public static SluiceProcess Start(string dataDir)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Binary, "up", "--data-dir", dataDir })
        {
            start.ArgumentList.Add(a);
        }
        return new SluiceProcess(Process.Start(start) ?? throw new InvalidOperationException("sluice did not start"));
    }

    /// <summary>Waits until it serves; returns the kubeconfig path.</summary>
    public Task<string> ReadyAsync() => _kubeconfig.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public void Terminate()
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, 15);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
