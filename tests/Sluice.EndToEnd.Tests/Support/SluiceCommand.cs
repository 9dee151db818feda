using System.Diagnostics;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>The built <c>sluice</c> CLI run as a user runs it, against one kubeconfig, bounded in time.</summary>
public sealed class SluiceCommand(string kubeconfig)
{
    public async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.SluiceDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sluice did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sluice {string.Join(' ', args)} did not finish within 90s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and requires exit 0; returns what it said on stderr (people-text, as stdout is not a terminal).</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        code.ShouldBe(0, $"sluice {string.Join(' ', args)}: {stderr}{stdout}");
        return stderr;
    }
}
