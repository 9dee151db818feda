using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Resources;
using Sluice.Controllers;
using Sluice.Controllers.Kube;
using Sluice.Simulator;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The embedded system as `sluice up` runs it, in-process on a free port with a temporary data directory:
/// the control plane, the workload simulator and the controllers (over HTTP, one code path).
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? controllers;

    private TestCluster(RunningControlPlane plane, WorkloadSimulator? simulator, string dataDir)
    {
        Plane = plane;
        Simulator = simulator;
        DataDir = dataDir;
        Api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(plane.KubeconfigPath));
        Kubectl = new Kubectl(plane.KubeconfigPath);
    }

    public RunningControlPlane Plane { get; }

    public WorkloadSimulator? Simulator { get; }

    public string DataDir { get; }

    public IKubeApi Api { get; }

    public Kubectl Kubectl { get; }

    public ControllerHost? Host { get; private set; }

    public static async Task<TestCluster> StartAsync(string? podReadyDelay = "50ms..150ms", bool controllers = true)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-e2e-" + Guid.NewGuid().ToString("N"));
        var plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, TimeProvider.System);
        var simulator = podReadyDelay is null
            ? null
            : await WorkloadSimulator.StartAsync(plane.Store, new SimulatorOptions(Nodes: 3, PodReadyDelay: DelayRange.Parse(podReadyDelay)), TimeProvider.System);
        var cluster = new TestCluster(plane, simulator, dataDir);
        if (controllers)
        {
            cluster.StartControllers();
        }

        return cluster;
    }

    /// <param name="prometheus">The Prometheus metrics without an address of their own are measured on.</param>
    public void StartControllers(string identity = "e2e", IKubeApi? api = null, Func<ControllerOptions, ControllerOptions>? configure = null, Uri? prometheus = null)
    {
        var options = new ControllerOptions { Identity = identity, LeaseDuration = TimeSpan.FromSeconds(3), PrometheusAddress = prometheus };
        Host = new ControllerHost(api ?? Api, new HttpClient(), configure?.Invoke(options) ?? options, TimeProvider.System, NullLoggerFactory.Instance);
        controllers = Host.RunAsync(stop.Token);
    }

    /// <summary>Applies manifests with kubectl (files or YAML text on stdin).</summary>
    public Task<string> ApplyAsync(params string[] files) =>
        Kubectl.RunAsync(files.SelectMany(f => new[] { "-f", f }).Prepend("apply").ToArray());

    public async Task<string> ApplyYamlAsync(string yaml)
    {
        var file = Path.Combine(DataDir, $"manifest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await ApplyAsync(file);
    }

    public Task<JsonObject?> GetAsync(ResourceKind kind, string name, string ns = "default") => Api.GetAsync(kind, ns, name, CancellationToken.None);

    /// <summary>Applies YAML text in namespace <paramref name="ns"/> (created when missing).</summary>
    public async Task<string> ApplyYamlAsync(string ns, string yaml)
    {
        var file = Path.Combine(DataDir, $"manifest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var namespaceFile = Path.Combine(DataDir, $"namespace-{ns}.yaml");
        await File.WriteAllTextAsync(namespaceFile, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        await Kubectl.RunAsync("apply", "-f", namespaceFile);
        return await Kubectl.RunAsync("apply", "-n", ns, "-f", file);
    }

    public async Task<JsonObject> RolloutAsync(string name = "rolling-example") =>
        await GetAsync(ResourceKind.AppRollout, name) ?? throw new InvalidOperationException($"AppRollout {name} not found");

    /// <summary>
    /// Waits until the rollout's status.rollingState is <paramref name="state"/> (for <paramref name="target"/>, when
    /// given: the status of an earlier target does not count); says where it was on timeout.
    /// </summary>
    public async Task<JsonObject> WaitForStateAsync(string state, string name = "rolling-example", string? target = null, TimeSpan? timeout = null, string ns = "default")
    {
        JsonObject? last = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            last = await GetAsync(ResourceKind.AppRollout, name, ns);
            return last?["status"]?["rollingState"]?.GetValue<string>() == state
                && (target is null || last["status"]?["lastTargetAppRevision"]?.GetValue<string>() == target);
        }, timeout ?? TimeSpan.FromSeconds(60), () => $"rollout {name} in {state}{(target is null ? "" : $" for {target}")}; it is {last?["status"]?.ToJsonString() ?? "(no status)"}");
        return last!;
    }

    /// <summary>Records every change of one resource kind from the store's watch, for assertions over history.</summary>
    public ObjectHistory Record(string group, string resource) => new(Plane.Store, new GroupResource(group, resource));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (controllers is not null)
        {
            await controllers.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        await Plane.DisposeAsync();
        stop.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
