using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sluice.Bench.Common;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Controllers.Kube;

namespace Sluice.Bench.Soak;

/// <summary>
/// The system under test, as separate processes: the API server with the simulator (<c>sluice up --no-controllers</c>),
/// killable with SIGKILL and restarted on the same data directory and port, and the controller (<c>sluice controller</c>),
/// killable with SIGKILL too, which keeps running across the API server's restarts as it would across a real one's (the
/// restarted plane keeps its port, token and CA, so the kubeconfig stays right). The bench is only a client of the
/// API, and records every change of the watched kinds through it.
/// </summary>
internal sealed class SoakSystem(SoakOptions options, string dataDir, TextWriter log) : IAsyncDisposable
{
    public static readonly GroupResource Pods = new("", "pods");
    public static readonly GroupResource AppRollouts = new("core.oam.dev", "approllouts");
    public static readonly ResourceKind[] WorkloadKinds = [ResourceKind.CloneSet, ResourceKind.StatefulSet, ResourceKind.Deployment, ResourceKind.DaemonSet];

    /// <summary>What the invariants are checked over, and what must survive a restart of the API server.</summary>
    public static readonly ResourceKind[] RecordedKinds = [ResourceKind.Pod, ResourceKind.AppRollout, ResourceKind.Application, .. WorkloadKinds];

    /// <summary>Kinds nothing in the soak deletes: one of these missing after a restart is a lost write.</summary>
    public static readonly ResourceKind[] NeverDeleted = [ResourceKind.AppRollout, ResourceKind.Application];

    /// <summary>Generous: on a loaded machine a .NET process takes seconds to start.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly int port = FreePort();
    private PlaneProcess? plane;
    private KubeApi? api;
    private ControllerProcess? controller;
    private WatchRecorder? recorder;
    private int planes;
    private int controllers;

    /// <summary>A client of the API server that runs now.</summary>
    public IKubeApi Api => api ?? throw new InvalidOperationException("the API server has not started");

    public WatchRecorder Recorder => recorder ?? throw new InvalidOperationException("not recording");

    /// <summary>True when the API server or the controller died without being killed by the bench.</summary>
    public bool Died => plane?.HasExited == true || controller?.HasExited == true;

    public async Task StartAsync()
    {
        Directory.CreateDirectory(dataDir);
        await StartPlaneAsync();
        api = plane!.Api;
        StartController();
    }

    /// <summary>Records every change of <see cref="RecordedKinds"/> from now on (the current objects first, as ADDED).</summary>
    public async Task StartRecordingAsync() => recorder = await WatchRecorder.StartAsync(() => Api, "default", RecordedKinds);

    public void StartController()
    {
        controllers++;
        controller = ControllerProcess.Start(options.SluiceDll, plane!.KubeconfigPath, Path.Combine(dataDir, $"controller-{controllers}.log"),
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
    /// SIGKILLs the API server (and the simulator, in its process) wherever it was, starts it again on the same data
    /// directory and port, and returns the acknowledged writes it no longer has: for every object, the last version
    /// the recorder's watches delivered before the kill and the last write of <paramref name="acknowledged"/> must be
    /// there, at that version or a later one. The controller runs on throughout, as the bench's own client does.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestartPlaneAsync(IReadOnlyDictionary<ObjectRef, WatchEvent> acknowledged)
    {
        var kubeconfig = await File.ReadAllTextAsync(plane!.KubeconfigPath);
        var killedAt = Stopwatch.GetTimestamp();
        await plane.KillAsync();
        if (!await Recorder.SettleAsync(killedAt, TimeSpan.FromSeconds(10)))
        {
            await log.WriteLineAsync("soak: the recorder's watches did not end within 10 s of the kill");
        }
        var expected = LostWrites.Expected(Recorder.Latest(), acknowledged);
        plane.Dispose();
        await StartPlaneAsync();
        var downFor = Stopwatch.GetElapsedTime(killedAt);
        if (await File.ReadAllTextAsync(plane.KubeconfigPath) != kubeconfig)
        {
            throw new InvalidOperationException("the restarted API server wrote a different kubeconfig: its clients (the controller, this bench) cannot reach it");
        }
        var (lost, gone) = await LostWrites.FindAsync(Api, expected, RecordedKinds, NeverDeleted);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"soak: API server SIGKILLed and restarted on {dataDir} (down {downFor.TotalSeconds:F1} s); {expected.Count} objects checked, {lost.Count} acknowledged writes lost, {gone} pods or workloads deleted since they were delivered"));
        foreach (var line in lost)
        {
            await log.WriteLineAsync("soak: lost write: " + line);
        }
        return lost;
    }

    /// <summary>Everything recorded, across incarnations of the API server, in commit order.</summary>
    public IReadOnlyList<Recorded> History() => Recorder.Events();

    public string LogTails() => $"{plane?.LogTail(20)}\n{controller?.LogTail(20)}";

    public async ValueTask DisposeAsync()
    {
        if (recorder is not null)
        {
            await recorder.DisposeAsync();
        }
        await KillControllerAsync(restart: false);
        if (plane is not null)
        {
            await plane.KillAsync();
            plane.Dispose();
        }
    }

    private async Task StartPlaneAsync()
    {
        planes++;
        plane = await PlaneProcess.StartAsync(options.SluiceDll, dataDir, port, Path.Combine(dataDir, $"plane-{planes}.log"), StartTimeout,
            "--nodes", Scenario.Pods.ToString(CultureInfo.InvariantCulture), "--pod-ready-delay", "100ms..300ms");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
