using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using dotnet_etcd;

namespace Sluice.Bench.ApiServer;

/// <summary>The same number of puts of the same size, with the same concurrency, into a local etcd (Debian's etcd-server).</summary>
internal static class EtcdBench
{
    public static async Task<double?> PutsPerSecondAsync(BenchOptions options, TextWriter log)
    {
        var etcd = FindEtcd();
        if (etcd is null)
        {
            await log.WriteLineAsync("bench: etcd not found (apt-get install etcd-server); etcd figures are null");
            return null;
        }
        var dir = Path.Combine(Path.GetTempPath(), "sluice-bench-etcd-" + Guid.NewGuid().ToString("N"));
        var client = FreePort();
        var peer = FreePort();
        var start = new ProcessStartInfo(etcd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "--data-dir", dir, "--name", "bench",
            "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"bench=http://127.0.0.1:{peer}",
        })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var etcdClient = new EtcdClient($"http://127.0.0.1:{client}");
            await WaitReadyAsync(etcdClient);
            var value = new string('x', options.Size);
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < options.Count; i = Interlocked.Increment(ref next))
                {
                    await etcdClient.PutAsync($"/registry/configmaps/default/bench-{i}", value);
                }
            }));
            return options.Count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task WaitReadyAsync(EtcdClient client)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.PutAsync("/bench/ready", "1");
                return;
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
            }
        }
    }

    private static string? FindEtcd() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin")
            .Select(d => Path.Combine(d, "etcd")).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
