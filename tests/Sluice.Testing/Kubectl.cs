using System.Diagnostics;

namespace Sluice.Testing;

/// <summary>The machine's kubectl (a client nobody here wrote) against a kubeconfig, bounded in time.</summary>
public sealed class Kubectl(string kubeconfig)
{
    public async Task<string> RunAsync(params string[] args)
    {
        var (code, stdout, stderr) = await TryAsync(args);
        if (code != 0)
        {
            throw new InvalidOperationException($"kubectl {string.Join(' ', args)} exited {code}: {stderr}");
        }

        return stdout;
    }

    public async Task<(int Code, string Stdout, string Stderr)> TryAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = Path.GetDirectoryName(kubeconfig)!;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within 60s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
