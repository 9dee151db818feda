using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// Plays kube-controller-manager's garbage collector and namespace controller: a dependent none of whose owners
/// exists (by uid) is deleted in the background, whenever it is seen: when its owner goes, when it is created or
/// changed after its owner went, and at start for what is already stored; owner references to owners that are gone
/// are removed from a dependent that still has a living owner; an owner deleted in the foreground keeps its
/// <c>foregroundDeletion</c> finalizer until its dependents are gone; deleting a namespace deletes what is in it;
/// deleting a CRD deletes its custom resources.
/// </summary>
internal sealed class GarbageCollector(ResourceStore store) : IAsyncDisposable
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private readonly CancellationTokenSource _stop = new();
    private WatchSubscription? _subscription;
    private Task _loop = Task.CompletedTask;

    public void Start()
    {
        _subscription = store.WatchAll();
        var stored = store.AllWithOwners();
        _loop = Task.Run(async () =>
        {
            // What was stored while no collector ran (a dependent whose owner went before a restart) is collected too.
            foreach (var (resource, obj) in stored)
            {
                Collect(resource, obj);
            }
            await RunAsync(_subscription, _stop.Token).ConfigureAwait(false);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _subscription?.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task RunAsync(WatchSubscription subscription, CancellationToken cancel)
    {
        await foreach (var change in subscription.Events.ReadAllAsync(cancel).ConfigureAwait(false))
        {
            try
            {
                Handle(change);
            }
            catch (ApiException)
            {
                // The object moved on meanwhile (deleted or changed); the next event brings us back.
            }
        }
    }

    private void Handle(WatchEvent change)
    {
        var obj = change.Object;
        if (change.Type == "DELETED")
        {
            var uid = Meta.Uid(obj);
            foreach (var (resource, dependent) in store.Dependents(uid))
            {
                ReleaseOrDelete(resource, dependent, uid);
            }
            foreach (var owner in Meta.OwnerReferences(obj))
            {
                if (owner["uid"]?.GetValue<string>() is { } ownerUid && store.FindByUid(ownerUid) is { } found)
                {
                    FinishForeground(found.Resource, found.Object);
                }
            }
            if (change.Resource == BuiltInResources.Namespaces)
            {
                foreach (var (resource, item) in store.AllInNamespace(Meta.Name(obj)))
                {
                    TryDelete(resource, item, "Background");
                }
            }
            if (change.Resource == BuiltInResources.Crds && obj["spec"] is JsonObject spec)
            {
                var served = new GroupResource(spec["group"]?.GetValue<string>() ?? "", spec["names"]?["plural"]?.GetValue<string>() ?? "");
                foreach (var item in store.AllOf(served))
                {
                    TryDelete(served, item, "Background");
                }
            }
            return;
        }
        if (Meta.Str(obj, "deletionTimestamp").Length > 0 && Meta.Finalizers(obj).Contains(ForegroundFinalizer))
        {
            FinishForeground(change.Resource, obj);
        }
        Collect(change.Resource, obj);
    }

    /// <summary>A dependent whose owners are all gone is deleted; dangling references beside a living owner are dropped.</summary>
    private void Collect(GroupResource resource, JsonObject obj)
    {
        var owners = Meta.OwnerReferences(obj).Select(r => r["uid"]?.GetValue<string>() ?? "").ToList();
        if (owners.Count == 0 || Meta.Str(obj, "deletionTimestamp").Length > 0)
        {
            return;
        }
        var gone = owners.Where(uid => !store.HasUid(uid)).ToList();
        if (gone.Count == 0)
        {
            return;
        }
        if (gone.Count == owners.Count)
        {
            TryDelete(resource, obj, "Background");
            return;
        }
        try
        {
            store.Mutate(resource, Meta.Namespace(obj), Meta.Name(obj), current =>
            {
                if (Meta.Uid(current) != Meta.Uid(obj))
                {
                    return current;
                }
                var kept = Meta.OwnerReferences(current).Where(r => !gone.Contains(r["uid"]?.GetValue<string>() ?? ""))
                    .Select(r => (JsonNode?)r.DeepClone()).ToArray();
                Meta.Of(current)["ownerReferences"] = new JsonArray(kept);
                return current;
            });
        }
        catch (ApiException)
        {
            // Gone meanwhile.
        }
    }

    private void ReleaseOrDelete(GroupResource resource, JsonObject dependent, string goneOwner)
    {
        var living = Meta.OwnerReferences(dependent)
            .Select(r => r["uid"]?.GetValue<string>() ?? "")
            .Where(u => u != goneOwner && store.FindByUid(u) is not null)
            .ToList();
        if (living.Count == 0)
        {
            TryDelete(resource, dependent, "Background");
            return;
        }
        store.Mutate(resource, Meta.Namespace(dependent), Meta.Name(dependent), current =>
        {
            var kept = Meta.OwnerReferences(current).Where(r => r["uid"]?.GetValue<string>() != goneOwner)
                .Select(r => (JsonNode?)r.DeepClone()).ToArray();
            Meta.Of(current)["ownerReferences"] = new JsonArray(kept);
            return current;
        });
    }

    private void FinishForeground(GroupResource resource, JsonObject owner)
    {
        if (Meta.Str(owner, "deletionTimestamp").Length == 0 || !Meta.Finalizers(owner).Contains(ForegroundFinalizer))
        {
            return;
        }
        var dependents = store.Dependents(Meta.Uid(owner));
        if (dependents.Count == 0)
        {
            store.Mutate(resource, Meta.Namespace(owner), Meta.Name(owner), current =>
            {
                Meta.SetFinalizers(current, Meta.Finalizers(current).Where(f => f != ForegroundFinalizer));
                return current;
            });
            return;
        }
        foreach (var (depResource, dependent) in dependents)
        {
            if (Meta.Str(dependent, "deletionTimestamp").Length == 0)
            {
                TryDelete(depResource, dependent, "Foreground");
            }
        }
    }

    private void TryDelete(GroupResource resource, JsonObject obj, string policy)
    {
        try
        {
            store.Delete(resource, Meta.Namespace(obj), Meta.Name(obj), new DeleteOptions(policy, PreconditionUid: Meta.Uid(obj)));
        }
        catch (ApiException)
        {
            // Already gone or replaced by a newer object of the same name: nothing to collect.
        }
    }
}
