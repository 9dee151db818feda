using System.Diagnostics;
using Sluice.ControlPlane.Prometheus;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>The prometheus binary, installed with apt when a fresh machine lacks it (as bench/apiserver does with etcd).</summary>
public static class PrometheusInstall
{
    private static readonly SemaphoreSlim Gate = new(1);

    public static async Task<string> EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (PrometheusServer.FindBinary() is { } found)
            {
                return found;
            }

            var install = new ProcessStartInfo("bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(install)!;
            var output = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return PrometheusServer.FindBinary()
                ?? throw new InvalidOperationException($"prometheus is not installed and apt-get could not install it (exit {process.ExitCode}): {await output}");
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A Prometheus in <paramref name="directory"/> scraping <paramref name="exporter"/> every second.</summary>
    public static async Task<PrometheusServer> StartAsync(string directory, TestExporter exporter)
    {
        var binary = await EnsureAsync();
        PrometheusServer.WriteTargets(directory, "test", [("test-metrics", exporter.Url)]);
        return await PrometheusServer.StartAsync(new PrometheusOptions { Directory = directory, Binary = binary, ScrapeInterval = TimeSpan.FromSeconds(1) }, CancellationToken.None);
    }
}
