using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sluice.Testing;

/// <summary>
/// The built <c>sluice</c> CLI as a child process (<c>dotnet sluice.dll ...</c>, not <c>dotnet run</c>, so signals
/// reach it), with its stderr kept for waits and failure messages. Disposing kills it if it still runs.
/// </summary>
public sealed class SluiceProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr = new();
    private readonly string name;

    private SluiceProcess(Process process, string name)
    {
        this.process = process;
        this.name = name;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public int Id => process.Id;

    public int ExitCode => process.ExitCode;

    public bool HasExited => process.HasExited;

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>sluice ARGS</c>; <paramref name="name"/> names it in failure messages.</summary>
    public static SluiceProcess Start(string name, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.SluiceDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new SluiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start"), name);
    }

    /// <summary>`sluice up` with these options (and a data directory); returns once it serves, with its kubeconfig path.</summary>
    public static async Task<(SluiceProcess Plane, string Kubeconfig)> UpAsync(string dataDir, params string[] options)
    {
        var plane = Start("sluice up", ["up", "--data-dir", dataDir, .. options]);
        try
        {
            var line = await plane.WaitForLineAsync("kubeconfig: ", TimeSpan.FromSeconds(90));
            return (plane, line["kubeconfig: ".Length..].Trim());
        }
        catch
        {
            plane.Dispose();
            throw;
        }
    }

    /// <summary>True once a stderr line contains <paramref name="text"/>.</summary>
    public bool Said(string text) => Stderr.Contains(text, StringComparison.Ordinal);

    /// <summary>Waits for the first stderr line that starts with (or contains) <paramref name="text"/>; fails if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        string? found = null;
        await Eventually.WaitUntil(() =>
        {
            found = Stderr.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            return found is not null || process.HasExited;
        }, timeout, $"{name} to say \"{text}\"; it said:\n{Stderr}");
        return found ?? throw new InvalidOperationException($"{name} exited ({process.ExitCode}) before saying \"{text}\":\n{Stderr}");
    }

    /// <summary>SIGKILL: no chance to release anything (a crash).</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then waits up to <paramref name="grace"/> for a clean exit before a SIGKILL.</summary>
    public void Stop(TimeSpan grace)
    {
        if (!process.HasExited)
        {
            _ = SendSignal(process.Id, 15);
            if (!process.WaitForExit(grace))
            {
                Kill();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // it exited meanwhile
        }

        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
