using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Store;
using Sluice.Simulator;

namespace Sluice.Simulator.Tests.Support;

/// <summary>
/// Records, from a watch on pods, the state after every change: how many pods exist and are ready, per revision
/// (the <c>pod-template-hash</c> or <c>controller-revision-hash</c> label), terminating pods left out. Tests assert
/// invariants over all of it. It also records how each pod went (<see cref="Removals"/>): whether it was seen
/// terminating (a deletionTimestamp) and not ready before it was gone.
/// </summary>
internal sealed class PodHistory : IAsyncDisposable
{
    private readonly Dictionary<string, JsonObject> _pods = [];
    private readonly List<PodSnapshot> _snapshots = [];
    private readonly Lock _gate = new();
    private readonly WatchSubscription _watch;
    private readonly Task _loop;
    private readonly Func<JsonObject, bool> _include;
    private readonly HashSet<string> _terminating = [];
    private readonly HashSet<string> _terminatingNotReady = [];
    private readonly List<PodRemoval> _removals = [];

    public PodHistory(IResourceStore store, Func<JsonObject, bool> include)
    {
        _include = include;
        var list = store.List(SimCluster.Pods, "default");
        foreach (var pod in list.Items.Where(include))
        {
            _pods[Json.Name(pod)] = pod;
        }
        _snapshots.Add(Snapshot(list.ResourceVersion));
        _watch = store.Watch(SimCluster.Pods, "default", list.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        _loop = Task.Run(async () =>
        {
            await foreach (var change in _watch.Events.ReadAllAsync())
            {
                lock (_gate)
                {
                    var uid = Json.Uid(change.Object);
                    if (change.Type == "DELETED")
                    {
                        if (_pods.Remove(Json.Name(change.Object)))
                        {
                            _removals.Add(new PodRemoval(Json.Name(change.Object), Json.Str(change.Object, "spec", "nodeName").Length > 0,
                                _terminating.Contains(uid), _terminatingNotReady.Contains(uid)));
                        }
                    }
                    else if (change.Type is "ADDED" or "MODIFIED" && _include(change.Object))
                    {
                        _pods[Json.Name(change.Object)] = change.Object;
                        if (Json.Deleting(change.Object))
                        {
                            _terminating.Add(uid);
                            if (!Pods.IsServing(change.Object))
                            {
                                _terminatingNotReady.Add(uid);
                            }
                        }
                    }
                    else
                    {
                        continue;
                    }
                    _snapshots.Add(Snapshot(change.ResourceVersion));
                }
            }
        });
    }

    public IReadOnlyList<PodSnapshot> Snapshots
    {
        get
        {
            lock (_gate)
            {
                return [.. _snapshots];
            }
        }
    }

    public PodSnapshot Last => Snapshots[^1];

    /// <summary>Every pod that went while recorded, and whether it was seen terminating, then not ready, before.</summary>
    public IReadOnlyList<PodRemoval> Removals
    {
        get
        {
            lock (_gate)
            {
                return [.. _removals];
            }
        }
    }

    public static string Revision(JsonObject pod) =>
        Json.Label(pod, "pod-template-hash") is { Length: > 0 } hash ? hash : Json.Label(pod, "controller-revision-hash");

    private PodSnapshot Snapshot(long rv)
    {
        var pods = _pods.Values.Where(p => !Json.Deleting(p)).ToList();
        return new PodSnapshot(
            rv,
            pods.Count,
            pods.Count(Pods.IsReady),
            pods.GroupBy(Revision).ToImmutableDictionary(g => g.Key, g => g.Count()),
            pods.Where(Pods.IsReady).GroupBy(Revision).ToImmutableDictionary(g => g.Key, g => g.Count()),
            pods.ToImmutableDictionary(Json.Name, p => (Json.Uid(p), Revision(p), Pods.IsReady(p))));
    }

    public async ValueTask DisposeAsync()
    {
        _watch.Dispose();
        await _loop;
    }
}

/// <summary>A pod that went: whether it ran on a node, and whether it was seen terminating and then not ready before it was gone.</summary>
internal sealed record PodRemoval(string Name, bool Scheduled, bool SeenTerminating, bool SeenNotReadyWhileTerminating)
{
    /// <summary>As on a cluster: a pod a node runs is terminating, and not ready, before it is gone.</summary>
    public bool EndedGracefully => !Scheduled || (SeenTerminating && SeenNotReadyWhileTerminating);
}

/// <summary>The pods after one change: totals, counts per revision, and each pod's uid, revision and readiness.</summary>
internal sealed record PodSnapshot(
    long ResourceVersion,
    int Total,
    int Ready,
    ImmutableDictionary<string, int> ByRevision,
    ImmutableDictionary<string, int> ReadyByRevision,
    ImmutableDictionary<string, (string Uid, string Revision, bool Ready)> Pods)
{
    public int On(string revision) => ByRevision.GetValueOrDefault(revision);

    public int ReadyOn(string revision) => ReadyByRevision.GetValueOrDefault(revision);
}
