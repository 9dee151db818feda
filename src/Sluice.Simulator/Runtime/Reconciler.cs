using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Runtime;

/// <summary>
/// Runs one key's reconcile: reads the watch caches, asks the pure controller for a plan, and carries the plan
/// out through the store like any API client (creates, updates with resourceVersion preconditions, status
/// writes only when the status changed, deletes with a uid precondition). A 409 refreshes the object from the
/// store and throws <see cref="RetryException"/> so the key runs again.
/// </summary>
internal sealed class Reconciler(IResourceStore store, Caches caches, WorkQueue queue, SimulatorOptions options, TimeProvider time)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _terminatingSince = new();
    private int _nextNode;

    /// <summary>A pod is gone: forget when its termination was first seen.</summary>
    public void ForgetPod(JsonObject pod) => _terminatingSince.TryRemove(Json.Uid(pod), out _);

    public void Run(WorkKey key)
    {
        switch (key.Kind)
        {
            case WorkKind.Pod:
                Kubelet(key);
                break;
            case WorkKind.ReplicaSet:
                ReplicaSet(key);
                break;
            case WorkKind.Deployment:
                Deployment(key);
                break;
            case WorkKind.StatefulSet:
                StatefulSet(key);
                break;
            case WorkKind.DaemonSet:
                DaemonSet(key);
                break;
            case WorkKind.CloneSet:
                CloneSet(key);
                break;
            case WorkKind.Declared:
                Declared(key);
                break;
            case WorkKind.Job:
                Job(key);
                break;
            case WorkKind.CronJob:
                CronJob(key);
                break;
            case WorkKind.Service:
                EndpointSlices(key);
                break;
        }
    }

    private void Job(WorkKey key)
    {
        if (caches.Jobs.Get(key.Namespace, key.Name) is not { } job)
        {
            return;
        }
        var plan = JobLogic.Plan(job, caches.Pods.Owned(Json.Uid(job)), time.GetUtcNow());
        if (plan.Create.Count > 0 && !StillThere(caches.Jobs, job))
        {
            return;
        }
        CreatePods(plan.Create);
        DeleteAll(caches.Pods, SimResources.Pods, plan.Delete);
        WriteStatus(caches.Jobs, job, plan.Status);
    }

    private void CronJob(WorkKey key)
    {
        if (caches.CronJobs.Get(key.Namespace, key.Name) is not { } cronJob)
        {
            return;
        }
        var plan = CronJobLogic.Plan(cronJob, caches.Jobs.Owned(Json.Uid(cronJob)), time.GetUtcNow());
        DeleteAll(caches.Jobs, SimResources.Jobs, plan.Delete);
        if (plan.Create is { } job)
        {
            try
            {
                caches.Jobs.Upsert(store.Create(SimResources.Jobs, key.Namespace, job));
            }
            catch (ApiException e) when (e.Status.Code == 409)
            {
                // Created by an earlier pass whose status write was lost: it is there, as wanted.
            }
        }
        WriteStatus(caches.CronJobs, cronJob, plan.Status);
        Wake(key, plan.WakeAt);
    }

    private void Kubelet(WorkKey key)
    {
        if (caches.Pods.Get(key.Namespace, key.Name) is not { } pod)
        {
            return;
        }
        if (Json.Deleting(pod))
        {
            Terminate(key, pod);
            return;
        }
        if (Json.Str(pod, "spec", "nodeName").Length == 0)
        {
            if (PickNode() is not { } node)
            {
                return;
            }
            var bound = (JsonObject)pod.DeepClone();
            Json.Ensure(bound, "spec")["nodeName"] = node;
            pod = Write(caches.Pods, bound);
            if (pod is null)
            {
                return;
            }
        }
        var step = Simulator.Kubelet.Step(pod, time.GetUtcNow(), options.ReadyDelay.Pick(Json.Uid(pod)));
        if (step.Status is not null)
        {
            WriteStatus(caches.Pods, pod, step.Status);
        }
        if (step.WakeAt is { } at)
        {
            queue.AddAt(key, at);
        }
    }

    /// <summary>
    /// The kubelet ends a pod being deleted: it turns not ready at once (its containers stop), and once the simulated
    /// grace period has passed since the kubelet first saw the deletion (a delay from the options, never longer than the
    /// pod's <c>deletionGracePeriodSeconds</c>) it removes the pod (delete with grace 0 and a uid precondition).
    /// </summary>
    private void Terminate(WorkKey key, JsonObject pod)
    {
        var now = time.GetUtcNow();
        var uid = Json.Uid(pod);
        var since = _terminatingSince.GetOrAdd(uid, now);
        if (Json.Str(pod, "spec", "nodeName").Length > 0 && Simulator.Kubelet.Terminating(pod, now) is { } status)
        {
            WriteStatus(caches.Pods, pod, status);
        }
        var grace = TimeSpan.FromSeconds(Json.Long(pod, "metadata", "deletionGracePeriodSeconds") ?? 0);
        var delay = options.TerminationDelay.Pick(uid);
        var removeAt = since + (grace < delay ? grace : delay);
        if (now < removeAt)
        {
            queue.AddAt(key, removeAt);
            return;
        }
        try
        {
            var result = store.Delete(SimResources.Pods, key.Namespace, key.Name, new DeleteOptions(PreconditionUid: uid, GracePeriodSeconds: 0));
            if (result.Removed)
            {
                caches.Pods.Forget(pod);
                _terminatingSince.TryRemove(uid, out _);
            }
            else
            {
                caches.Pods.Upsert(result.Object);
            }
        }
        catch (ApiException e) when (e.Status.Code is 404 or 409)
        {
            caches.Pods.Forget(pod);
            _terminatingSince.TryRemove(uid, out _);
        }
    }

    /// <summary>The EndpointSlice controller for one Service (see <see cref="EndpointSliceLogic"/>).</summary>
    private void EndpointSlices(WorkKey key)
    {
        var service = caches.Services.Get(key.Namespace, key.Name);
        var existing = caches.EndpointSlices.InNamespace(key.Namespace)
            .Where(s => Json.Label(s, EndpointSliceLogic.ServiceNameLabel) == key.Name
                && Json.Label(s, EndpointSliceLogic.ManagedByLabel) == EndpointSliceLogic.ManagedBy)
            .ToList();
        var desired = service is null ? null : EndpointSliceLogic.Desired(service, caches.Pods.InNamespace(key.Namespace));
        if (desired is null)
        {
            // The Service is gone (the garbage collector takes its slices) or selects nothing by selector: its slices go.
            DeleteAll(caches.EndpointSlices, SimResources.EndpointSlices, existing.Where(s => service is not null));
            return;
        }
        var current = existing.FirstOrDefault(s => Json.Name(s) == Json.Name(desired));
        DeleteAll(caches.EndpointSlices, SimResources.EndpointSlices, existing.Where(s => s != current));
        if (current is null)
        {
            if (!StillThere(caches.Services, service!))
            {
                return;
            }
            try
            {
                caches.EndpointSlices.Upsert(store.Create(SimResources.EndpointSlices, key.Namespace, desired));
            }
            catch (ApiException e) when (e.Status.Code == 409)
            {
                Refresh(caches.EndpointSlices, SimResources.EndpointSlices, key.Namespace, Json.Name(desired));
                throw new RetryException();
            }
            return;
        }
        if (Json.Canonical(current["endpoints"]) == Json.Canonical(desired["endpoints"]) && Json.Canonical(current["ports"]) == Json.Canonical(desired["ports"]))
        {
            return;
        }
        var next = (JsonObject)current.DeepClone();
        next["endpoints"] = desired["endpoints"]!.DeepClone();
        next["ports"] = desired["ports"]!.DeepClone();
        Write(caches.EndpointSlices, next);
    }

    private void ReplicaSet(WorkKey key)
    {
        if (caches.ReplicaSets.Get(key.Namespace, key.Name) is not { } rs)
        {
            return;
        }
        var plan = ReplicaSetLogic.Plan(rs, caches.Pods.Owned(Json.Uid(rs)), time.GetUtcNow());
        if (plan.Create.Count > 0 && !StillThere(caches.ReplicaSets, rs))
        {
            return;
        }
        CreatePods(plan.Create);
        DeleteAll(caches.Pods, SimResources.Pods, plan.Delete);
        WriteStatus(caches.ReplicaSets, rs, plan.Status);
        Wake(key, plan.WakeAt);
    }

    private void Deployment(WorkKey key)
    {
        if (caches.Deployments.Get(key.Namespace, key.Name) is not { } d)
        {
            return;
        }
        var owned = caches.ReplicaSets.Owned(Json.Uid(d));
        var terminating = owned.Where(rs => caches.Pods.Owned(Json.Uid(rs)).Any(Json.Deleting)).Select(Json.Uid).ToHashSet();
        var plan = DeploymentLogic.Plan(d, owned, time.GetUtcNow(), terminating);
        var status = plan.Status;
        if (plan.CreateReplicaSet is { } created)
        {
            try
            {
                caches.ReplicaSets.Upsert(store.Create(SimResources.ReplicaSets, key.Namespace, created));
            }
            catch (ApiException e) when (e.Status.Code == 409)
            {
                // A ReplicaSet of that name exists and is not ours: the next hash must differ.
                status["collisionCount"] = (Json.Long(d, "status", "collisionCount") ?? 0) + 1;
                WriteStatus(caches.Deployments, d, status);
                throw new RetryException();
            }
        }
        foreach (var rs in plan.UpdateReplicaSets)
        {
            Write(caches.ReplicaSets, rs);
        }
        DeleteAll(caches.ReplicaSets, SimResources.ReplicaSets, plan.DeleteReplicaSets);
        if (plan.Revision is { } revision)
        {
            var annotated = (JsonObject)d.DeepClone();
            Json.Ensure(annotated, "metadata", "annotations")[DeploymentLogic.RevisionAnnotation] = revision;
            d = Write(caches.Deployments, annotated) ?? d;
        }
        WriteStatus(caches.Deployments, d, status);
        Wake(key, plan.WakeAt);
    }

    private void StatefulSet(WorkKey key)
    {
        if (caches.StatefulSets.Get(key.Namespace, key.Name) is not { } sts)
        {
            return;
        }
        var plan = StatefulSetLogic.Plan(sts, caches.Pods.Owned(Json.Uid(sts)), caches.Revisions.Owned(Json.Uid(sts)), time.GetUtcNow());
        if (plan.CreatePods.Count > 0 && !StillThere(caches.StatefulSets, sts))
        {
            return;
        }
        CreateRevision(plan.CreateRevision);
        CreatePods(plan.CreatePods);
        DeleteAll(caches.Pods, SimResources.Pods, plan.DeletePods);
        DeleteAll(caches.Revisions, SimResources.ControllerRevisions, plan.DeleteRevisions);
        WriteStatus(caches.StatefulSets, sts, plan.Status);
        Wake(key, plan.WakeAt);
    }

    private void DaemonSet(WorkKey key)
    {
        if (caches.DaemonSets.Get(key.Namespace, key.Name) is not { } ds)
        {
            return;
        }
        var nodes = caches.Nodes.All().Select(Json.Name).Order(StringComparer.Ordinal).ToList();
        var plan = DaemonSetLogic.Plan(ds, caches.Pods.Owned(Json.Uid(ds)), caches.Revisions.Owned(Json.Uid(ds)), nodes, time.GetUtcNow());
        if (plan.CreatePods.Count > 0 && !StillThere(caches.DaemonSets, ds))
        {
            return;
        }
        CreateRevision(plan.CreateRevision);
        CreatePods(plan.CreatePods);
        DeleteAll(caches.Pods, SimResources.Pods, plan.DeletePods);
        DeleteAll(caches.Revisions, SimResources.ControllerRevisions, plan.DeleteRevisions);
        WriteStatus(caches.DaemonSets, ds, plan.Status);
        Wake(key, plan.WakeAt);
    }

    private void CloneSet(WorkKey key)
    {
        if (caches.CloneSets.Get(key.Namespace, key.Name) is not { } cs)
        {
            return;
        }
        CarryOut(key, caches.CloneSets, cs, CloneSetLogic.Plan(cs, caches.Pods.Owned(Json.Uid(cs)), caches.Revisions.Owned(Json.Uid(cs)), time.GetUtcNow()));
    }

    /// <summary>A declared kind's object, with its CloneSet's semantics through the declared paths (<see cref="DeclaredKindLogic"/>).</summary>
    private void Declared(WorkKey key)
    {
        if (key.Declared is null || !caches.Declared.TryGetValue(key.Declared, out var declared)
            || declared.Objects.Get(key.Namespace, key.Name) is not { } obj)
        {
            return;
        }
        CarryOut(key, declared.Objects, obj, DeclaredKindLogic.Plan(declared.Kind, obj, caches.Pods.Owned(Json.Uid(obj)), caches.Revisions.Owned(Json.Uid(obj)), time.GetUtcNow()));
    }

    /// <summary>An in-place plan (a CloneSet's, or a declared kind's) for <paramref name="owner"/> of <paramref name="cache"/>.</summary>
    private void CarryOut(WorkKey key, Informer cache, JsonObject owner, CloneSetPlan plan)
    {
        if (plan.CreatePods.Count > 0 && !StillThere(cache, owner))
        {
            return;
        }
        CreateRevision(plan.CreateRevision);
        CreatePods(plan.CreatePods);
        DeleteAll(caches.Pods, SimResources.Pods, plan.DeletePods);
        foreach (var pod in plan.UpdatePods)
        {
            Write(caches.Pods, pod);
        }
        DeleteAll(caches.Revisions, SimResources.ControllerRevisions, plan.DeleteRevisions);
        WriteStatus(cache, owner, plan.Status);
        Wake(key, plan.WakeAt);
    }

    private void CreatePods(IReadOnlyList<JsonObject> pods)
    {
        foreach (var pod in pods)
        {
            // Scheduled as it is created (one write fewer per pod than a separate binding).
            if (Json.Str(pod, "spec", "nodeName").Length == 0 && PickNode() is { } node)
            {
                Json.Ensure(pod, "spec")["nodeName"] = node;
            }
            try
            {
                caches.Pods.Upsert(store.Create(SimResources.Pods, Json.Namespace(pod), pod));
            }
            catch (ApiException e) when (e.Status.Code == 409)
            {
                // A pod of that name still exists (a StatefulSet ordinal being replaced): the watch brings us back.
            }
        }
    }

    private void CreateRevision(JsonObject? revision)
    {
        if (revision is null)
        {
            return;
        }
        try
        {
            caches.Revisions.Upsert(store.Create(SimResources.ControllerRevisions, Json.Namespace(revision), revision));
        }
        catch (ApiException e) when (e.Status.Code == 409)
        {
            Refresh(caches.Revisions, SimResources.ControllerRevisions, Json.Namespace(revision), Json.Name(revision));
            throw new RetryException();
        }
    }

    private void DeleteAll(Informer cache, GroupResource resource, IEnumerable<JsonObject> objects)
    {
        foreach (var obj in objects)
        {
            try
            {
                var result = store.Delete(resource, Json.Namespace(obj), Json.Name(obj), new DeleteOptions(PreconditionUid: Json.Uid(obj)));
                if (result.Removed)
                {
                    cache.Forget(obj);
                }
                else
                {
                    cache.Upsert(result.Object);
                }
            }
            catch (ApiException e) when (e.Status.Code is 404 or 409)
            {
                cache.Forget(obj);
            }
        }
    }

    private void WriteStatus(Informer cache, JsonObject obj, JsonObject status)
    {
        if (Json.Canonical(obj["status"]) == Json.Canonical(status))
        {
            return;
        }
        var next = (JsonObject)obj.DeepClone();
        next["status"] = status.DeepClone();
        Write(cache, next, UpdateScope.Status);
    }

    /// <summary>
    /// Updates an object (its metadata.resourceVersion is the precondition) and caches the result; on 409 re-reads
    /// it into the cache and asks for another pass; null when the object is gone.
    /// </summary>
    private JsonObject? Write(Informer cache, JsonObject obj, UpdateScope scope = UpdateScope.Main)
    {
        try
        {
            var result = store.Update(cache.Resource, Json.Namespace(obj), obj, scope);
            cache.Upsert(result);
            return result;
        }
        catch (ApiException e) when (e.Status.Code == 409)
        {
            Refresh(cache, cache.Resource, Json.Namespace(obj), Json.Name(obj));
            throw new RetryException();
        }
        catch (ApiException e) when (e.Status.Code == 404)
        {
            return null;
        }
    }

    private void Refresh(Informer cache, GroupResource resource, string ns, string name)
    {
        try
        {
            cache.Upsert(store.Get(resource, ns, name));
        }
        catch (ApiException e) when (e.Status.Code == 404)
        {
        }
    }

    /// <summary>
    /// Whether the owner is still in the store (same uid) before pods are created for it: a cache that has not
    /// seen the owner's deletion yet would otherwise leave pods whose owner is already gone.
    /// </summary>
    private bool StillThere(Informer cache, JsonObject owner)
    {
        try
        {
            if (Json.Uid(store.Get(cache.Resource, Json.Namespace(owner), Json.Name(owner))) == Json.Uid(owner))
            {
                return true;
            }
        }
        catch (ApiException e) when (e.Status.Code == 404)
        {
        }
        cache.Forget(owner);
        return false;
    }

    /// <summary>The scheduler: nodes in turn (every simulated node fits every pod).</summary>
    private string? PickNode()
    {
        var nodes = caches.Nodes.All().Select(Json.Name).Order(StringComparer.Ordinal).ToList();
        return nodes.Count == 0 ? null : nodes[(int)((uint)Interlocked.Increment(ref _nextNode) % nodes.Count)];
    }

    private void Wake(WorkKey key, DateTimeOffset? at)
    {
        if (at is { } when)
        {
            queue.AddAt(key, when);
        }
    }
}
