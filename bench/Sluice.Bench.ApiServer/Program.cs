using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Bench.ApiServer;
using Sluice.ControlPlane;

// bench/apiserver: sustained create and update throughput of the embedded control plane (durable:
// every write is an fsynced SQLite transaction before it is acknowledged), watch delivery latency
// with many watchers, and etcd's put throughput for the same writes. --json prints one JSON object.
var options = BenchOptions.Parse(args);
var log = Console.Error;
if (options.ClientOf is { } planeDir)
{
    // The client process: drive the plane over HTTPS and print the figures as one JSON line.
    using var client = PlaneBench.For(planeDir, options);
    var measured = await client.RunAsync();
    Console.WriteLine(JsonSerializer.Serialize(measured));
    return;
}
var dataDir = Path.Combine(Path.GetTempPath(), "sluice-bench-" + Guid.NewGuid().ToString("N"));
PlaneBench.Figures figures;
var planeCpu = TimeSpan.Zero;
await using (var plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, WatchHistory = options.Count * 3 }, TimeProvider.System))
{
    await log.WriteLineAsync($"bench: {options.Count} writes of {options.Size} bytes, {options.Concurrency} concurrent clients; {options.Watchers} watchers x {options.Events} events (client in its own process)");
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    figures = await RunClientAsync(dataDir, options);
    planeCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
}
Directory.Delete(dataDir, recursive: true);
var etcd = await EtcdBench.PutsPerSecondAsync(options, log);

static double Round(double value) => Math.Round(value, 2);

// The benchmark's client runs as its own process (this program with --client), so the plane in this process does not
// share its threads and allocations with the client's.
static async Task<PlaneBench.Figures> RunClientAsync(string dataDir, BenchOptions options)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    start.ArgumentList.Add(typeof(PlaneBench).Assembly.Location);
    start.ArgumentList.Add("--client");
    start.ArgumentList.Add(dataDir);
    foreach (var arg in options.ToArgs())
    {
        start.ArgumentList.Add(arg);
    }
    using var client = Process.Start(start) ?? throw new InvalidOperationException("the client process did not start");
    var output = await client.StandardOutput.ReadToEndAsync();
    await client.WaitForExitAsync();
    if (client.ExitCode != 0)
    {
        throw new InvalidOperationException($"the client process failed (exit {client.ExitCode})");
    }
    return JsonSerializer.Deserialize<PlaneBench.Figures>(output.Trim().Split('\n')[^1])!;
}
var result = new JsonObject
{
    ["creates_per_s"] = Round(figures.CreatesPerSecond),
    ["updates_per_s"] = Round(figures.UpdatesPerSecond),
    ["watch_p50_ms"] = Round(figures.WatchP50Ms),
    ["watch_p99_ms"] = Round(figures.WatchP99Ms),
    ["etcd_puts_per_s"] = etcd is { } e ? Round(e) : null,
    ["ratio_vs_etcd"] = etcd is { } f ? Round(figures.CreatesPerSecond / f) : null,
    // The plane's own CPU (this process: HTTP, TLS, JSON, store, fsync calls) per write, over creates, updates and the
    // watch phase's writes: what the code costs, which the machine's load does not change as much as the rates.
    ["plane_cpu_ms_per_write"] = Round(planeCpu.TotalMilliseconds / (2.0 * options.Count + options.Events)),
};
if (options.Json)
{
    Console.WriteLine(result.ToJsonString());
}
else
{
    string Show(string key) => result[key]?.ToJsonString() ?? "n/a";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        creates/s          {Show("creates_per_s")}
        updates/s          {Show("updates_per_s")}
        watch p50 (ms)     {Show("watch_p50_ms")}
        watch p99 (ms)     {Show("watch_p99_ms")}
        etcd puts/s        {Show("etcd_puts_per_s")}
        creates vs etcd    {Show("ratio_vs_etcd")}
        plane CPU ms/write {Show("plane_cpu_ms_per_write")}
        """));
}
