using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// The plane's object store with kube-apiserver's semantics, for in-process callers (the workload
/// simulator, controllers in the same process) as much as for the HTTP front: uid, a store-wide
/// resourceVersion, generation, optimistic concurrency (409 Conflict), finalizers and
/// deletionTimestamp, status-only writes, CRD schema validation, and watch with resume (410 Gone
/// when too old). Failures are thrown as <see cref="Api.ApiException"/> carrying the Status.
/// Objects handed out are copies: change them freely.
/// </summary>
public interface IResourceStore
{
    ResourceRegistry Registry { get; }

    /// <summary>The resourceVersion of the latest durable write (what reads and watches see).</summary>
    long ResourceVersion { get; }

    /// <summary>Gets an object; throws NotFound.</summary>
    JsonObject Get(GroupResource resource, string? ns, string name);

    /// <summary>Lists objects (all namespaces when <paramref name="ns"/> is null or empty).</summary>
    ObjectList List(GroupResource resource, string? ns, ObjectFilter? filter = null);

    /// <summary>Creates an object (honouring generateName); throws AlreadyExists or Invalid.</summary>
    JsonObject Create(GroupResource resource, string? ns, JsonObject obj, WriteOptions? options = null);

    /// <summary>
    /// Replaces an object. A non-empty metadata.resourceVersion is a precondition (409 when stale).
    /// With <see cref="UpdateScope.Status"/> only the status is taken from <paramref name="obj"/>.
    /// </summary>
    JsonObject Update(GroupResource resource, string? ns, JsonObject obj, UpdateScope scope = UpdateScope.Main, WriteOptions? options = null);

    /// <summary>
    /// Atomically reads, changes and writes an object (no lost update, no conflict unless the change
    /// itself carries a stale resourceVersion). Returns the stored result.
    /// </summary>
    JsonObject Mutate(GroupResource resource, string? ns, string name, Func<JsonObject, JsonObject> change,
        UpdateScope scope = UpdateScope.Main, WriteOptions? options = null);

    /// <summary>Deletes an object, or marks it with a deletionTimestamp while finalizers remain.</summary>
    DeleteResult Delete(GroupResource resource, string? ns, string name, DeleteOptions? options = null);

    /// <summary>
    /// Watches a resource. Without a resourceVersion (or "0") the current objects come first as
    /// ADDED; with one, every change after it is replayed; too old a version throws 410 Expired.
    /// </summary>
    WatchSubscription Watch(GroupResource resource, string? ns, string? resourceVersion, ObjectFilter? filter = null);
}
