using System.Diagnostics;
using System.Globalization;

namespace Sluice.Bench.Common;

/// <summary>
/// <c>sluice controller</c> as its own process, so that the kernel's accounting is its alone: CPU seconds from
/// the process's times, the peak working set from /proc/PID/status (VmHWM). Its log goes to a file.
/// </summary>
public sealed class ControllerProcess : IDisposable
{
    private readonly Process process;
    private readonly string logPath;

    private ControllerProcess(Process process, string logPath)
    {
        this.process = process;
        this.logPath = logPath;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public static ControllerProcess Start(string sluiceDll, string kubeconfig, string logPath, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { sluiceDll, "controller", "--kubeconfig", kubeconfig }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        ChildOutput.Pipe(process, logPath);
        return new ControllerProcess(process, logPath);
    }

    /// <summary>User plus system CPU time so far.</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>The peak resident set (VmHWM) in MiB.</summary>
    public double PeakWorkingSetMb()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>SIGTERM, as a pod's shutdown would send, then waits for the exit (SIGKILL after <paramref name="grace"/>).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }
        Signal("TERM");
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGKILL: the process dies at once, wherever it was.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public string LogTail(int lines) => File.Exists(logPath) ? string.Join('\n', File.ReadLines(logPath).TakeLast(lines)) : "";

    private void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
        process.Dispose();
    }
}
