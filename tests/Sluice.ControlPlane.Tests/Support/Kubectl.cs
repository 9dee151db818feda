using System.Diagnostics;

namespace Sluice.ControlPlane.Tests.Support;

/// <summary>Runs the machine's kubectl against a kubeconfig, with a bounded time.</summary>
public sealed class Kubectl(string kubeconfig)
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    public Task<Result> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(60), null, args);

    public async Task<Result> RunAsync(TimeSpan timeout, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["HOME"] = Path.GetDirectoryName(kubeconfig)!;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts kubectl without waiting (for watches); the caller kills it.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["HOME"] = Path.GetDirectoryName(kubeconfig)!;
        return Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
    }
}
