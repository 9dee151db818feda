using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// Every state of every object of one kind in "default", as the store committed them (from a watch started
/// before the scenario): a test asserts invariants over the whole history, not only the end state.
/// </summary>
public sealed class ObjectHistory : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, JsonObject> live = [];
    private readonly List<(long Version, IReadOnlyDictionary<string, JsonObject> Objects)> states = [];
    private readonly WatchSubscription watch;
    private readonly Task loop;

    public ObjectHistory(IResourceStore store, GroupResource resource)
    {
        var list = store.List(resource, "default");
        foreach (var item in list.Items)
        {
            live[Name(item)] = item;
        }

        states.Add((list.ResourceVersion, new Dictionary<string, JsonObject>(live)));
        watch = store.Watch(resource, "default", list.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        loop = Task.Run(async () =>
        {
            await foreach (var change in watch.Events.ReadAllAsync())
            {
                lock (gate)
                {
                    if (change.Type == "DELETED")
                    {
                        live.Remove(Name(change.Object));
                    }
                    else if (change.Type is "ADDED" or "MODIFIED")
                    {
                        live[Name(change.Object)] = change.Object;
                    }
                    else
                    {
                        continue;
                    }

                    states.Add((change.ResourceVersion, new Dictionary<string, JsonObject>(live)));
                }
            }
        });
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
        watch.Dispose();
        await loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();
}
