using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Resources;
using Sluice.Simulator;

// bench/simulator: creates --deployments Deployments of --replicas pods on the embedded plane with the
// simulator running, waits until every pod is ready, changes every image, and waits until every pod runs
// the new image and is ready. Prints the seconds each phase took, the store writes per second, and the CPU
// seconds the process used. --json prints one JSON object on stdout.
var deployments = 200;
var replicas = 5;
var delay = "200ms..1s";
var json = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--deployments":
            deployments = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--replicas":
            replicas = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--pod-ready-delay":
            delay = args[++i];
            break;
        case "--json":
            json = true;
            break;
        default:
            throw new ArgumentException($"unknown argument {args[i]}; usage: bench/simulator [--json] [--deployments N] [--replicas R] [--pod-ready-delay MIN..MAX]");
    }
}

var pods = new GroupResource("", "pods");
var deploymentsResource = new GroupResource("apps", "deployments");
var dataDir = Path.Combine(Path.GetTempPath(), "sluice-bench-sim-" + Guid.NewGuid().ToString("N"));
var total = deployments * replicas;
var log = Console.Error;
JsonObject result;
await using (var plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, WatchHistory = 200_000 }, TimeProvider.System))
await using (var simulator = await WorkloadSimulator.StartAsync(plane.Store, new SimulatorOptions(3, DelayRange.Parse(delay)), TimeProvider.System))
{
    var store = plane.Store;
    var state = new Dictionary<string, (bool Ready, string Image)>();
    using var stopWatching = new CancellationTokenSource();
    static (bool Ready, string Image) Read(JsonObject pod) => (
        (pod["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True"),
        pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    var watching = Task.Run(async () =>
    {
        // A watch that falls behind is closed by the store: list again and watch on from there.
        while (!stopWatching.IsCancellationRequested)
        {
            var list = store.List(pods, "default");
            lock (state)
            {
                state.Clear();
                foreach (var pod in list.Items)
                {
                    state[pod["metadata"]!["name"]!.GetValue<string>()] = Read(pod);
                }
            }
            using var watch = store.Watch(pods, "default", list.ResourceVersion.ToString(CultureInfo.InvariantCulture));
            try
            {
                await foreach (var change in watch.Events.ReadAllAsync(stopWatching.Token))
                {
                    if (change.Type is not ("ADDED" or "MODIFIED" or "DELETED"))
                    {
                        continue;
                    }
                    var name = change.Object["metadata"]!["name"]!.GetValue<string>();
                    lock (state)
                    {
                        if (change.Type == "DELETED")
                        {
                            state.Remove(name);
                        }
                        else if (change.Type is "ADDED" or "MODIFIED")
                        {
                            state[name] = Read(change.Object);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    });

    async Task<double> Phase(string what, string image, Action start)
    {
        var writes = store.ResourceVersion;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var dumped = false;
        start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        while (true)
        {
            lock (state)
            {
                if (state.Count == total && state.Values.All(p => p.Ready && p.Image == image))
                {
                    break;
                }
            }
            await Task.Delay(100, timeout.Token);
            if (clock.Elapsed > TimeSpan.FromSeconds(60) && !dumped)
            {
                dumped = true;
                Dump();
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bench: {what}: {seconds:0.0}s, {store.ResourceVersion - writes} writes, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} CPU s"));
        return seconds;
    }

    void Dump()
    {
        // A phase that takes this long is stuck: show what is not done.
        foreach (var d in store.List(deploymentsResource, "default").Items)
        {
            var status = d["status"];
            if (status?["updatedReplicas"]?.GetValue<int>() == replicas && status?["availableReplicas"]?.GetValue<int>() == replicas
                && status?["replicas"]?.GetValue<int>() == replicas)
            {
                continue;
            }
            log.WriteLine("bench: stuck: " + d.ToJsonString());
            var uid = d["metadata"]!["uid"]!.GetValue<string>();
            foreach (var rs in store.List(new GroupResource("apps", "replicasets"), "default").Items
                .Where(r => r["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>() == uid))
            {
                log.WriteLine("bench:   rs: " + rs.ToJsonString());
                var rsUid = rs["metadata"]!["uid"]!.GetValue<string>();
                foreach (var pod in store.List(pods, "default").Items.Where(p => p["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>() == rsUid))
                {
                    log.WriteLine("bench:     pod: " + pod["metadata"]!["name"] + " " + pod["status"]?.ToJsonString());
                }
            }
            break;
        }
        var listed = store.List(pods, "default").Items.Select(Read).ToList();
        lock (state)
        {
            log.WriteLine($"bench: simulator pending work {simulator.PendingWork}; watched {state.Count} pods, {state.Values.Count(p => p.Ready)} ready; " +
                $"listed {listed.Count}, {listed.Count(p => p.Ready)} ready, images {string.Join(",", listed.Select(p => p.Image).Distinct())}; watcher {watching.Status} {watching.Exception?.InnerException}");
        }
    }

    await log.WriteLineAsync($"bench: {deployments} deployments x {replicas} pods, ready delay {delay}, {Environment.ProcessorCount} cores");
    var before = store.ResourceVersion;
    var up = await Phase("all ready", "app:1", () =>
    {
        for (var i = 0; i < deployments; i++)
        {
            store.Create(deploymentsResource, "default", JsonNode.Parse($$$$$"""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d{{{{{i}}}}}"},
                 "spec":{"replicas":{{{{{replicas}}}}},"selector":{"matchLabels":{"app":"d{{{{{i}}}}}"}},
                  "template":{"metadata":{"labels":{"app":"d{{{{{i}}}}}"}},"spec":{"containers":[{"name":"app","image":"app:1"}]}}}}
                """)!.AsObject());
        }
    });
    var rolled = await Phase("all rolled", "app:2", () =>
    {
        for (var i = 0; i < deployments; i++)
        {
            store.Mutate(deploymentsResource, "default", $"d{i}", d =>
            {
                d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "app:2";
                return d;
            });
        }
    });
    var writes = store.ResourceVersion - before;
    await stopWatching.CancelAsync();
    await watching;
    static double Round(double value) => Math.Round(value, 2);
    result = new JsonObject
    {
        ["deployments"] = deployments,
        ["pods"] = total,
        ["ready_s"] = Round(up),
        ["rolled_s"] = Round(rolled),
        ["writes"] = writes,
        ["writes_per_s"] = Round(writes / (up + rolled)),
    };
}
Directory.Delete(dataDir, recursive: true);
if (json)
{
    Console.WriteLine(result.ToJsonString());
}
else
{
    foreach (var (key, value) in result)
    {
        Console.WriteLine($"{key,-14} {value}");
    }
}
