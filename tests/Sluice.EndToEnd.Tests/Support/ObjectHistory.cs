using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Controllers.Kube;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// Every state of every object of one kind in "default", as the store committed them (from a watch started
/// before the scenario): a test asserts invariants over the whole history, not only the end state. A pod leaves
/// the history when it starts terminating (its deletionTimestamp is set), as workload controllers count pods. Recorded
/// from the store in-process, or through the API (list, then watch from its resourceVersion) when the plane is
/// another process.
/// </summary>
public sealed class ObjectHistory : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, JsonObject> live = [];
    private readonly List<(long Version, IReadOnlyDictionary<string, JsonObject> Objects)> states = [];
    private readonly List<string> errors = [];
    private readonly CancellationTokenSource stop = new();
    private readonly IDisposable? watch;
    private Task loop = Task.CompletedTask;

    public ObjectHistory(IResourceStore store, GroupResource resource)
    {
        var list = store.List(resource, "default");
        Start(list.Items, list.ResourceVersion);
        var subscription = store.Watch(resource, "default", list.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        watch = subscription;
        loop = Task.Run(async () =>
        {
            await foreach (var change in subscription.Events.ReadAllAsync())
            {
                Record(change.Type, change.Object, change.ResourceVersion);
            }
        });
    }

    private ObjectHistory()
    {
    }

    /// <summary>Errors of the API watch (a history with any is incomplete).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (gate)
            {
                return errors.ToList();
            }
        }
    }

    /// <summary>Records <paramref name="kind"/> in "default" through the API: a list, then a watch from its resourceVersion, resumed if the server ends it.</summary>
    public static async Task<ObjectHistory> WatchAsync(IKubeApi api, ResourceKind kind)
    {
        var history = new ObjectHistory();
        var list = await api.ListAsync(kind, "default", null, CancellationToken.None);
        var version = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        history.Start((list["items"] as JsonArray ?? []).Select(i => i!.AsObject()), Version(version));
        history.loop = Task.Run(async () =>
        {
            while (!history.stop.IsCancellationRequested)
            {
                try
                {
                    await foreach (var change in api.WatchAsync(kind, "default", version, history.stop.Token))
                    {
                        version = change.ResourceVersion ?? version;
                        history.Record(change.Type, change.Object, Version(version));
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
                {
                    lock (history.gate)
                    {
                        history.errors.Add($"watch of {kind} from {version}: {e.Message}");
                    }

                    await Task.Delay(100).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        });
        return history;
    }

    /// <summary>Waits until every object the API lists now is recorded at its current resourceVersion.</summary>
    public async Task CatchUpAsync(IKubeApi api, ResourceKind kind)
    {
        var list = await api.ListAsync(kind, "default", null, CancellationToken.None);
        var expected = (list["items"] as JsonArray ?? []).Select(i => (Name(i!.AsObject()), Version(i!["metadata"]!["resourceVersion"]!.GetValue<string>()))).ToList();
        await Eventually.WaitUntil(() =>
        {
            lock (gate)
            {
                return expected.All(e => live.TryGetValue(e.Item1, out var obj) && Version(obj["metadata"]!["resourceVersion"]!.GetValue<string>()) >= e.Item2);
            }
        }, TimeSpan.FromSeconds(20), $"the history of {kind} to catch up with the API");
    }

    /// <summary>Every state, oldest first, with the store's resourceVersion that made it: name to object.</summary>
    public IReadOnlyList<(long Version, IReadOnlyDictionary<string, JsonObject> Objects)> States
    {
        get
        {
            lock (gate)
            {
                return states.ToList();
            }
        }
    }

    /// <summary>The values <paramref name="select"/> took for one object, without consecutive repeats.</summary>
    public IReadOnlyList<T> Track<T>(string name, Func<JsonObject, T> select)
    {
        var values = new List<T>();
        foreach (var (_, state) in States)
        {
            if (state.TryGetValue(name, out var obj))
            {
                var value = select(obj);
                if (values.Count == 0 || !EqualityComparer<T>.Default.Equals(values[^1], value))
                {
                    values.Add(value);
                }
            }
        }

        return values;
    }

    /// <summary>The object as it was at <paramref name="version"/> (the latest state at or before it), or null.</summary>
    public JsonObject? At(string name, long version)
    {
        JsonObject? found = null;
        foreach (var (at, state) in States)
        {
            if (at > version)
            {
                break;
            }

            found = state.GetValueOrDefault(name);
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        watch?.Dispose();
        await loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private void Start(IEnumerable<JsonObject> items, long version)
    {
        foreach (var item in items)
        {
            live[Name(item)] = item;
        }

        states.Add((version, new Dictionary<string, JsonObject>(live)));
    }

    private void Record(string type, JsonObject obj, long version)
    {
        lock (gate)
        {
            // A terminating pod (deletionTimestamp) has left its workload, as Kubernetes counts pods: it is gone here.
            if (type == "DELETED" || (obj["kind"]?.GetValue<string>() == "Pod" && obj["metadata"]?["deletionTimestamp"] is not null))
            {
                if (!live.Remove(Name(obj)) && type != "DELETED")
                {
                    return;
                }
            }
            else if (type is "ADDED" or "MODIFIED")
            {
                live[Name(obj)] = obj;
            }
            else
            {
                return;
            }

            states.Add((version, new Dictionary<string, JsonObject>(live)));
        }
    }

    private static long Version(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();
}
