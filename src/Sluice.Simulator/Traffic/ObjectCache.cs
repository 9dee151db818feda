using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// A watch cache of one resource type, all namespaces, keeping a projection of each object (the data plane keeps pods as
/// small <see cref="PodEndpoint"/>s, not their JSON): list once, then watch from the list's resourceVersion, listing again
/// when the watch ends. A resource not served (yet) is an empty cache that keeps trying.
/// </summary>
internal sealed class ObjectCache<T>(IResourceStore store, GroupResource resource, Func<JsonObject, T> project)
    where T : class
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Ns, string Name), (long Version, T Item)> items = [];
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GroupResource Resource => resource;

    public Task Synced => synced.Task;

    public async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                var list = store.List(resource, null);
                lock (gate)
                {
                    items.Clear();
                    foreach (var obj in list.Items)
                    {
                        items[Key(obj)] = (Version(obj), project(obj));
                    }
                }

                synced.TrySetResult();
                using var watch = store.Watch(resource, null, list.ResourceVersion.ToString(CultureInfo.InvariantCulture));
                await foreach (var change in watch.Events.ReadAllAsync(cancel).ConfigureAwait(false))
                {
                    lock (gate)
                    {
                        if (change.Type == "DELETED")
                        {
                            items.Remove(Key(change.Object));
                        }
                        else if (change.Type is "ADDED" or "MODIFIED")
                        {
                            items[Key(change.Object)] = (change.ResourceVersion, project(change.Object));
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException e) when (e.Status.Code == 404)
            {
                synced.TrySetResult();
                await PauseAsync(TimeSpan.FromSeconds(1), cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await PauseAsync(TimeSpan.FromMilliseconds(200), cancel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every item with the resourceVersion it was cached at.</summary>
    public List<(string Ns, string Name, long Version, T Item)> All()
    {
        lock (gate)
        {
            return items.Select(p => (p.Key.Ns, p.Key.Name, p.Value.Version, p.Value.Item)).ToList();
        }
    }

    /// <summary>The cache holds exactly what the store lists now, each at its current resourceVersion or later.</summary>
    public bool CaughtUp()
    {
        ObjectList list;
        try
        {
            list = store.List(resource, null);
        }
        catch (ApiException e) when (e.Status.Code == 404)
        {
            return true;
        }

        lock (gate)
        {
            return list.Items.Count == items.Count
                && list.Items.All(o => items.TryGetValue(Key(o), out var cached) && cached.Version >= Version(o));
        }
    }

    private static (string, string) Key(JsonObject obj) => (Json.Namespace(obj), Json.Name(obj));

    private static long Version(JsonObject obj) =>
        long.TryParse(Json.ResourceVersion(obj), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;

    private static async Task PauseAsync(TimeSpan delay, CancellationToken cancel)
    {
        try
        {
            // Real time, not the data plane's clock: a test's fake clock must not hold back a retry.
            await Task.Delay(delay, TimeProvider.System, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
