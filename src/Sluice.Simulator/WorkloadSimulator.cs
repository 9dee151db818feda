using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Store;
using Sluice.Simulator.Runtime;

namespace Sluice.Simulator;

/// <summary>
/// Plays kube-controller-manager (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob, and OpenKruise CloneSet
/// controllers), the scheduler and the kubelet against the embedded control plane's store, through the same
/// API semantics as any client. Garbage collection by owner reference is the plane's own.
/// <code>
/// await using var plane = await ControlPlaneServer.StartAsync(planeOptions, TimeProvider.System);
/// await using var sim = await WorkloadSimulator.StartAsync(plane.Store, new SimulatorOptions(Nodes: 3,
///     PodReadyDelay: DelayRange.Parse("200ms..1s")), TimeProvider.System);
/// </code>
/// </summary>
public sealed class WorkloadSimulator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly WorkQueue _queue;
    private readonly Caches _caches;
    private readonly Reconciler _reconciler;
    private readonly TimeProvider _time;
    private readonly List<Task> _tasks = [];
    private int _disposed;

    private WorkloadSimulator(IResourceStore store, SimulatorOptions options, TimeProvider time)
    {
        Options = options;
        _time = time;
        _queue = new WorkQueue(time);
        Informer Make(Sluice.ControlPlane.Resources.GroupResource resource, Action<string, JsonObject> changed) =>
            new(store, resource, time, changed);
        Informer? daemonSets = null;
        _caches = new Caches(
            Pods: Make(SimResources.Pods, OnPod),
            Nodes: Make(SimResources.Nodes, (_, _) =>
            {
                foreach (var ds in daemonSets?.All() ?? [])
                {
                    _queue.Add(new WorkKey(WorkKind.DaemonSet, Json.Namespace(ds), Json.Name(ds)));
                }
            }),
            Deployments: Make(SimResources.Deployments, (_, o) => Enqueue(WorkKind.Deployment, o)),
            ReplicaSets: Make(SimResources.ReplicaSets, OnReplicaSet),
            StatefulSets: Make(SimResources.StatefulSets, (_, o) => Enqueue(WorkKind.StatefulSet, o)),
            DaemonSets: daemonSets = Make(SimResources.DaemonSets, (_, o) => Enqueue(WorkKind.DaemonSet, o)),
            CloneSets: Make(SimResources.CloneSets, (_, o) => Enqueue(WorkKind.CloneSet, o)),
            Revisions: Make(SimResources.ControllerRevisions, (_, o) => EnqueueOwner(o)),
            Jobs: Make(SimResources.Jobs, (_, o) =>
            {
                Enqueue(WorkKind.Job, o);
                EnqueueOwner(o);
            }),
            CronJobs: Make(SimResources.CronJobs, (_, o) => Enqueue(WorkKind.CronJob, o)),
            Services: Make(SimResources.Services, (_, o) => Enqueue(WorkKind.Service, o)),
            EndpointSlices: Make(SimResources.EndpointSlices, (_, o) => EnqueueSliceService(o)),
            WorkloadKinds: Make(SimResources.WorkloadKinds, (_, _) => SyncDeclared()));
        _store = store;
        _reconciler = new Reconciler(store, _caches, _queue, options, time);
    }

    private readonly IResourceStore _store;
    private readonly Lock _declaredGate = new();

    public SimulatorOptions Options { get; }

    /// <summary>How many keys wait or run right now (0 when the simulated cluster has settled, barring timers).</summary>
    public int PendingWork => _queue.Pending;

    /// <summary>
    /// Creates the nodes <c>sim-node-0..N-1</c> (Ready), fills the watch caches, then starts the workers.
    /// </summary>
    public static async Task<WorkloadSimulator> StartAsync(IResourceStore store, SimulatorOptions options, TimeProvider time,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Nodes < 0 || options.Workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "nodes must be >= 0 and workers >= 1");
        }
        EnsureNodes(store, options.Nodes, time);
        var simulator = new WorkloadSimulator(store, options, time);
        foreach (var informer in simulator._caches.All)
        {
            lock (simulator._tasks)
            {
                simulator._tasks.Add(Task.Run(() => informer.RunAsync(simulator._stop.Token), CancellationToken.None));
            }
        }
        try
        {
            await Task.WhenAll(simulator._caches.All.Select(i => i.Synced)).WaitAsync(cancel).ConfigureAwait(false);
        }
        catch
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        for (var i = 0; i < options.Workers; i++)
        {
            lock (simulator._tasks)
            {
                simulator._tasks.Add(Task.Run(() => simulator.WorkAsync(simulator._stop.Token), CancellationToken.None));
            }
        }
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _queue.Dispose();
        try
        {
            Task[] tasks;
            lock (_tasks)
            {
                tasks = [.. _tasks];
            }
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task WorkAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            WorkKey key;
            try
            {
                key = await _queue.TakeAsync(cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
            try
            {
                _reconciler.Run(key);
            }
            catch (RetryException)
            {
                _queue.Add(key);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed write or an object the controllers cannot make sense of: try again later, keep the worker.
                if (!cancel.IsCancellationRequested)
                {
                    _queue.AddAt(key, _time.GetUtcNow() + TimeSpan.FromSeconds(1));
                }
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private void OnPod(string type, JsonObject pod)
    {
        if (type != "DELETED")
        {
            _queue.Add(new WorkKey(WorkKind.Pod, Json.Namespace(pod), Json.Name(pod)));
        }
        else
        {
            _reconciler.ForgetPod(pod);
        }
        EnqueueOwner(pod);
        if ((type == "DELETED" || Json.Deleting(pod)) && Json.ControllerRef(pod) is { Kind: "ReplicaSet" } rs
            && _caches.ReplicaSets.Get(Json.Namespace(pod), rs.Name) is { } replicaSet)
        {
            // A Recreate Deployment waits for its old pods to be gone, terminating ones included.
            EnqueueOwner(replicaSet);
        }
        EnqueueServices(pod);
    }

    /// <summary>The Services whose EndpointSlices a pod change may touch: those selecting it now, and those whose slice lists it.</summary>
    private void EnqueueServices(JsonObject pod)
    {
        var ns = Json.Namespace(pod);
        foreach (var service in _caches.Services.InNamespace(ns))
        {
            if (Controllers.EndpointSliceLogic.Selects(service, pod))
            {
                _queue.Add(new WorkKey(WorkKind.Service, ns, Json.Name(service)));
            }
        }
        var name = Json.Name(pod);
        foreach (var slice in _caches.EndpointSlices.InNamespace(ns))
        {
            if ((slice["endpoints"] as JsonArray ?? []).Any(e => Json.Str(e, "targetRef", "name") == name))
            {
                EnqueueSliceService(slice);
            }
        }
    }

    private void EnqueueSliceService(JsonObject slice)
    {
        if (Json.Label(slice, Controllers.EndpointSliceLogic.ServiceNameLabel) is { Length: > 0 } service
            && Json.Label(slice, Controllers.EndpointSliceLogic.ManagedByLabel) == Controllers.EndpointSliceLogic.ManagedBy)
        {
            _queue.Add(new WorkKey(WorkKind.Service, Json.Namespace(slice), service));
        }
    }

    private void OnReplicaSet(string type, JsonObject rs)
    {
        Enqueue(WorkKind.ReplicaSet, rs);
        EnqueueOwner(rs);
    }

    private void EnqueueOwner(JsonObject obj)
    {
        if (Json.ControllerRef(obj) is not { } owner)
        {
            return;
        }
        var declared = $"{Json.ControllerApiVersion(obj)}/{owner.Kind}";
        if (_caches.Declared.ContainsKey(declared))
        {
            _queue.Add(new WorkKey(WorkKind.Declared, Json.Namespace(obj), owner.Name, declared));
            return;
        }
        WorkKind? kind = owner.Kind switch
        {
            "ReplicaSet" => WorkKind.ReplicaSet,
            "Deployment" => WorkKind.Deployment,
            "StatefulSet" => WorkKind.StatefulSet,
            "DaemonSet" => WorkKind.DaemonSet,
            "CloneSet" => WorkKind.CloneSet,
            "Job" => WorkKind.Job,
            "CronJob" => WorkKind.CronJob,
            _ => null,
        };
        if (kind is { } k)
        {
            _queue.Add(new WorkKey(k, Json.Namespace(obj), owner.Name));
        }
    }

    private void Enqueue(WorkKind kind, JsonObject obj) => _queue.Add(new WorkKey(kind, Json.Namespace(obj), Json.Name(obj)));

    /// <summary>
    /// Runs the kinds the WorkloadKinds declare (those a simulated controller can play: see <see cref="Controllers.DeclaredKind"/>),
    /// each with its own cache of its objects, and stops running those no longer declared.
    /// </summary>
    private void SyncDeclared()
    {
        lock (_declaredGate)
        {
            var wanted = new Dictionary<string, Controllers.DeclaredKind>();
            foreach (var declaration in _caches.WorkloadKinds.All().Where(d => !Json.Deleting(d)))
            {
                if (Controllers.DeclaredKind.Parse(declaration) is ({ } kind, null))
                {
                    wanted.TryAdd($"{kind.ApiVersion}/{kind.Kind}", kind);
                }
            }
            foreach (var (key, running) in _caches.Declared.ToList())
            {
                if (!wanted.TryGetValue(key, out var kind) || kind != running.Kind)
                {
                    _caches.Declared.TryRemove(key, out _);
                    running.Stop.Cancel();
                }
            }
            foreach (var (key, kind) in wanted)
            {
                if (_caches.Declared.ContainsKey(key) || _stop.IsCancellationRequested)
                {
                    continue;
                }
                var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var objects = new Informer(_store, kind.Resource, _time, (_, o) => _queue.Add(new WorkKey(WorkKind.Declared, Json.Namespace(o), Json.Name(o), key)));
                _caches.Declared[key] = (kind, objects, stop);
                lock (_tasks)
                {
                    _tasks.Add(Task.Run(() => objects.RunAsync(stop.Token), CancellationToken.None));
                }
            }
        }
    }

    private static void EnsureNodes(IResourceStore store, int count, TimeProvider time)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"sim-node-{i.ToString(CultureInfo.InvariantCulture)}";
            JsonObject node;
            try
            {
                node = store.Get(SimResources.Nodes, null, name);
            }
            catch (ApiException e) when (e.Status.Code == 404)
            {
                node = store.Create(SimResources.Nodes, null, new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Node",
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = name,
                        ["labels"] = new JsonObject
                        {
                            ["kubernetes.io/hostname"] = name,
                            ["kubernetes.io/os"] = "linux",
                            ["sim.sluice.dev/node"] = "true",
                        },
                    },
                    ["spec"] = new JsonObject(),
                });
            }
            var now = Json.Timestamp(time.GetUtcNow());
            node["status"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" },
                ["allocatable"] = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" },
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "sluice simulated kubelet is posting ready status",
                    ["lastHeartbeatTime"] = now,
                    ["lastTransitionTime"] = now,
                }),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = $"10.0.0.{(i + 10).ToString(CultureInfo.InvariantCulture)}" },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = "v1.31.0-sluice-sim",
                    ["containerRuntimeVersion"] = "sim://1.0",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
            };
            store.Update(SimResources.Nodes, null, node, UpdateScope.Status);
        }
    }
}
