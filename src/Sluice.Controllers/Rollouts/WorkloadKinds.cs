using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Rollouts;

/// <summary>The workload kinds a rollout can drive, by apiVersion and kind.</summary>
public sealed class WorkloadKinds
{
    private readonly Dictionary<(string ApiVersion, string Kind), (ResourceKind Resource, IWorkloadAdapter Adapter)> kinds = [];

    /// <summary>Blue/green's adapters for kinds rolled in place otherwise: a second object per revision beside the source.</summary>
    private readonly Dictionary<(string ApiVersion, string Kind), IWorkloadAdapter> sideBySide = [];

    public WorkloadKinds(WorkloadPatcher patcher, IPodIndex pods)
    {
        Add(ResourceKind.CloneSet, new CloneSetAdapter(patcher, pods));
        Add(ResourceKind.StatefulSet, new StatefulSetAdapter(patcher, pods));
        Add(ResourceKind.Deployment, TwoObjectAdapter.Deployments(patcher));
        sideBySide[(ResourceKind.CloneSet.ApiVersion, ResourceKind.CloneSet.Kind)] = TwoObjectAdapter.CloneSetPairs(patcher);
        Add(ResourceKind.DaemonSet, new DaemonSetAdapter(patcher));
    }

    public IEnumerable<ResourceKind> Resources => kinds.Values.Select(k => k.Resource);

    public string Supported => string.Join(", ", kinds.Keys.Select(k => $"{k.Kind} ({k.ApiVersion})"));

    public (ResourceKind Resource, IWorkloadAdapter Adapter)? Find(string? apiVersion, string? kind) =>
        apiVersion is not null && kind is not null && kinds.TryGetValue((apiVersion, kind), out var found) ? found : null;

    /// <summary>The adapter that runs a kind's revisions side by side (blue/green): its two-object adapter, or its own when it has one.</summary>
    public IWorkloadAdapter SideBySide(ResourceKind resource, IWorkloadAdapter adapter) =>
        adapter.Style == WorkloadStyle.TwoObject ? adapter : sideBySide.GetValueOrDefault((resource.ApiVersion, resource.Kind)) ?? adapter;

    private void Add(ResourceKind resource, IWorkloadAdapter adapter) => kinds[(resource.ApiVersion, resource.Kind)] = (resource, adapter);
}
