using System.Globalization;
using Sluice.Bench.Common;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Simulator;

namespace Sluice.Bench.Soak;

/// <summary>
/// The system under test: the plane and the simulator in this process (restartable on the same data directory),
/// the controller in its own (killable with SIGKILL), and a recorder of every committed change of the watched kinds.
/// </summary>
internal sealed class SoakSystem(SoakOptions options, string dataDir, TextWriter log) : IAsyncDisposable
{
    public static readonly GroupResource Pods = new("", "pods");
    public static readonly GroupResource Applications = new("core.oam.dev", "applications");
    public static readonly GroupResource Revisions = new("core.oam.dev", "applicationrevisions");
    public static readonly GroupResource AppRollouts = new("core.oam.dev", "approllouts");
    public static readonly GroupResource[] Workloads =
        [new("apps.kruise.io", "clonesets"), new("apps", "statefulsets"), new("apps", "deployments"), new("apps", "daemonsets")];

    private static readonly GroupResource[] Recorded = [Pods, AppRollouts, Applications, .. Workloads];
    private readonly List<StoreRecorder> finished = [];
    private RunningControlPlane? plane;
    private WorkloadSimulator? simulator;
    private ControllerProcess? controller;
    private StoreRecorder? recorder;
    private int controllers;

    public RunningControlPlane Plane => plane ?? throw new InvalidOperationException("the plane is not running");

    public IResourceStore Store => Plane.Store;

    /// <summary>409s answered by earlier incarnations of the plane (its counter starts again with it).</summary>
    public long EarlierConflicts { get; private set; }

    public long Conflicts => EarlierConflicts + (plane?.Requests.Conflicts ?? 0);

    public async Task StartAsync()
    {
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, WatchHistory = 200_000 }, TimeProvider.System);
        simulator = await WorkloadSimulator.StartAsync(plane.Store,
            new SimulatorOptions(Nodes: Scenario.Pods, PodReadyDelay: DelayRange.Parse("100ms..300ms")), TimeProvider.System);
        StartController();
    }

    public void StartRecording() => recorder = new StoreRecorder(Store, withCurrent: true, Recorded);

    public void StartController()
    {
        controllers++;
        controller = ControllerProcess.Start(options.SluiceDll, Plane.KubeconfigPath, Path.Combine(dataDir, $"controller-{controllers}.log"),
            "--lease-duration", "2s");
    }

    /// <summary>SIGKILL of the controller, then a new one (it waits out the dead one's 2 s lease).</summary>
    public async Task KillControllerAsync(bool restart = true)
    {
        if (controller is not null)
        {
            await controller.KillAsync();
            controller.Dispose();
            controller = null;
        }
        if (restart)
        {
            StartController();
        }
    }

    /// <summary>
    /// Stops the API server (with the controller killed and the simulator stopped, so that nothing writes), starts it
    /// again on the same data directory, and counts the acknowledged writes it no longer has: every object's last
    /// committed version the recorder saw must be there, at that version.
    /// </summary>
    public async Task<int> RestartPlaneAsync()
    {
        await KillControllerAsync(restart: false);
        await simulator!.DisposeAsync();
        var seen = recorder!;
        await plane!.StopAsync();
        await seen.DrainAsync();
        finished.Add(seen);
        EarlierConflicts += plane.Requests.Conflicts;
        await plane.DisposeAsync();
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, WatchHistory = 200_000 }, TimeProvider.System);
        var lost = LostWrites(seen.Events(), plane.Store);
        recorder = new StoreRecorder(plane.Store, Recorded);
        simulator = await WorkloadSimulator.StartAsync(plane.Store,
            new SimulatorOptions(Nodes: Scenario.Pods, PodReadyDelay: DelayRange.Parse("100ms..300ms")), TimeProvider.System);
        StartController();
        await log.WriteLineAsync($"soak: API server restarted on {dataDir}; {lost} acknowledged writes lost");
        return lost;
    }

    private static int LostWrites(IReadOnlyList<Recorded> history, IResourceStore restored)
    {
        var last = new Dictionary<(GroupResource, string?, string), WatchEvent>();
        foreach (var (_, change) in history)
        {
            last[(change.Resource, change.Object["metadata"]?["namespace"]?.GetValue<string>(), change.Object["metadata"]!["name"]!.GetValue<string>())] = change;
        }
        var lost = 0;
        foreach (var ((resource, ns, name), change) in last)
        {
            JsonObjectOrNull(restored, resource, ns, name, out var now);
            if (change.Type == "DELETED")
            {
                continue;
            }
            var rv = now?["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (rv is null || long.Parse(rv, CultureInfo.InvariantCulture) < change.ResourceVersion)
            {
                lost++;
            }
        }
        return lost;
    }

    private static void JsonObjectOrNull(IResourceStore store, GroupResource resource, string? ns, string name, out System.Text.Json.Nodes.JsonObject? found)
    {
        try
        {
            found = store.Get(resource, ns, name);
        }
        catch (ControlPlane.Api.ApiException e) when (e.Status.Code == 404)
        {
            found = null;
        }
    }

    /// <summary>Everything recorded, across incarnations of the plane, in commit order.</summary>
    public async Task<IReadOnlyList<Recorded>> HistoryAsync()
    {
        if (recorder is not null)
        {
            await recorder.DrainAsync();
            finished.Add(recorder);
            recorder = null;
        }
        return [.. finished.SelectMany(r => r.Events()).OrderBy(e => e.Change.ResourceVersion)];
    }

    public string ControllerLogTail() => controller?.LogTail(20) ?? "";

    public async ValueTask DisposeAsync()
    {
        await KillControllerAsync(restart: false);
        if (simulator is not null)
        {
            await simulator.DisposeAsync();
        }
        if (plane is not null)
        {
            await plane.DisposeAsync();
        }
    }
}
