using System.Text.Json.Nodes;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Simulator;

namespace Sluice.Simulator.Tests.Support;

/// <summary>An in-process control plane (temp data dir, port 0) with the simulator running against its store.</summary>
internal sealed class SimCluster : IAsyncDisposable
{
    public static readonly GroupResource Pods = new("", "pods");
    public static readonly GroupResource Deployments = new("apps", "deployments");
    public static readonly GroupResource ReplicaSets = new("apps", "replicasets");
    public static readonly GroupResource StatefulSets = new("apps", "statefulsets");
    public static readonly GroupResource DaemonSets = new("apps", "daemonsets");
    public static readonly GroupResource CloneSets = new("apps.kruise.io", "clonesets");
    public static readonly GroupResource Revisions = new("apps", "controllerrevisions");

    private SimCluster(RunningControlPlane plane, WorkloadSimulator simulator, string dir)
    {
        Plane = plane;
        Simulator = simulator;
        Dir = dir;
    }

    public RunningControlPlane Plane { get; }

    public WorkloadSimulator Simulator { get; }

    public IResourceStore Store => Plane.Store;

    private string Dir { get; }

    public static async Task<SimCluster> StartAsync(TimeProvider? simulatorTime = null, string readyDelay = "20ms..80ms", int nodes = 3,
        string terminationDelay = "20ms..80ms")
    {
        var dir = Path.Combine(Path.GetTempPath(), "sluice-sim-" + Guid.NewGuid().ToString("N"));
        var plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dir, Port = 0 }, TimeProvider.System);
        var simulator = await WorkloadSimulator.StartAsync(plane.Store,
            new SimulatorOptions(nodes, DelayRange.Parse(readyDelay), Workers: 2, DelayRange.Parse(terminationDelay)), simulatorTime ?? TimeProvider.System);
        return new SimCluster(plane, simulator, dir);
    }

    public JsonObject Get(GroupResource resource, string name) => Store.Get(resource, "default", name);

    public JsonObject Apply(GroupResource resource, string json) => Store.Create(resource, "default", JsonNode.Parse(json)!.AsObject());

    /// <summary>Changes an object as a user would (read, change, write; retried on conflict by the store's Mutate).</summary>
    public JsonObject Change(GroupResource resource, string name, Action<JsonObject> change) =>
        Store.Mutate(resource, "default", name, o =>
        {
            change(o);
            o["metadata"]!.AsObject().Remove("resourceVersion");
            return o;
        });

    public List<JsonObject> PodsLabelled(string selector) =>
        [.. Store.List(Pods, "default", ObjectFilter.Parse(selector, null)).Items];

    /// <summary>Polls <paramref name="condition"/> every 20ms for at most <paramref name="seconds"/> seconds.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {seconds}s waiting until {what}");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await Plane.DisposeAsync();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
