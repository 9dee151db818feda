using System.Collections.Concurrent;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// The workload kinds a rollout can drive, by apiVersion and kind: the four built in (CloneSet, StatefulSet, Deployment,
/// DaemonSet), which do more than paths can say, and those declared by accepted <c>WorkloadKind</c>s, driven by a
/// <see cref="DeclaredWorkloadAdapter"/>. Declarations come and go while the controllers run (thread-safe); a refused one is
/// remembered with its reason, so that a rollout of that kind says why.
/// </summary>
public sealed class WorkloadKinds
{
    private readonly Dictionary<(string ApiVersion, string Kind), WorkloadKindEntry> builtIn = [];
    private readonly ConcurrentDictionary<(string ApiVersion, string Kind), WorkloadKindEntry> declared = new();
    private readonly ConcurrentDictionary<string, (string ApiVersion, string Kind, string? Refusal)> byDeclaration = new();
    private readonly WorkloadPatcher patcher;
    private readonly IPodIndex pods;

    /// <summary>Blue/green's adapters for kinds rolled in place otherwise: a second object per revision beside the source.</summary>
    private readonly Dictionary<(string ApiVersion, string Kind), IWorkloadAdapter> sideBySide = [];

    public WorkloadKinds(WorkloadPatcher patcher, IPodIndex pods)
    {
        this.patcher = patcher;
        this.pods = pods;
        Add(ResourceKind.CloneSet, new CloneSetAdapter(patcher, pods));
        Add(ResourceKind.StatefulSet, new StatefulSetAdapter(patcher, pods));
        Add(ResourceKind.Deployment, TwoObjectAdapter.Deployments(patcher));
        sideBySide[(ResourceKind.CloneSet.ApiVersion, ResourceKind.CloneSet.Kind)] = TwoObjectAdapter.CloneSetPairs(patcher);
        Add(ResourceKind.DaemonSet, new DaemonSetAdapter(patcher));
    }

    /// <summary>Raised when a declared kind's resource starts or stops being driven (the controllers watch it then).</summary>
    public event Action<ResourceKind, bool>? DeclaredChanged;

    /// <summary>The built-in kinds' resources.</summary>
    public IEnumerable<ResourceKind> Resources => builtIn.Values.Select(k => k.Resource);

    public string Supported => string.Join(", ", builtIn.Keys.Concat(declared.Keys).Select(k => $"{k.Kind} ({k.ApiVersion})"));

    public WorkloadKindEntry? Find(string? apiVersion, string? kind) =>
        apiVersion is null || kind is null ? null
        : builtIn.TryGetValue((apiVersion, kind), out var found) ? found
        : declared.TryGetValue((apiVersion, kind), out var declaredKind) ? declaredKind
        : null;

    public bool IsBuiltIn(string apiVersion, string kind) => builtIn.ContainsKey((apiVersion, kind));

    /// <summary>Why a WorkloadKind declaring this kind was refused, naming the declaration and the field; null when none was.</summary>
    public string? Refusal(string? apiVersion, string? kind) =>
        byDeclaration.Where(d => d.Value.ApiVersion == apiVersion && d.Value.Kind == kind && d.Value.Refusal is not null)
            .Select(d => $"WorkloadKind {d.Key} was refused: {d.Value.Refusal}")
            .FirstOrDefault();

    /// <summary>The WorkloadKind already driving this kind, other than <paramref name="except"/>.</summary>
    public string? DeclaredBy(ResourceKind kind, string except) =>
        byDeclaration.Where(d => d.Key != except && d.Value.ApiVersion == kind.ApiVersion && d.Value.Kind == kind.Kind && d.Value.Refusal is null)
            .Select(d => d.Key).FirstOrDefault();

    /// <summary>Drives the declared kind from now on (replacing what this declaration said before).</summary>
    public void Declare(WorkloadDeclaration declaration)
    {
        var before = Forget(declaration.Name, notify: false);
        var key = (declaration.Kind.ApiVersion, declaration.Kind.Kind);
        declared[key] = new WorkloadKindEntry(declaration.Kind, new DeclaredWorkloadAdapter(declaration, patcher, pods))
        {
            TemplatePath = declaration.Template,
            ReplicasPath = declaration.Replicas,
            DeclaredBy = declaration.Name,
        };
        byDeclaration[declaration.Name] = (key.ApiVersion, key.Kind, null);
        if (before is { } old && old != declaration.Kind)
        {
            DeclaredChanged?.Invoke(old, false);
        }

        DeclaredChanged?.Invoke(declaration.Kind, true);
    }

    /// <summary>Remembers why the declaration <paramref name="name"/> (of <paramref name="kind"/>, when known) was refused; stops driving what it declared.</summary>
    public void Refuse(string name, ResourceKind? kind, string reason)
    {
        Forget(name, notify: true);
        byDeclaration[name] = (kind?.ApiVersion ?? string.Empty, kind?.Kind ?? string.Empty, reason);
    }

    /// <summary>The declaration <paramref name="name"/> is gone: its kind is no longer driven.</summary>
    public void Remove(string name)
    {
        Forget(name, notify: true);
        byDeclaration.TryRemove(name, out _);
    }

    private ResourceKind? Forget(string name, bool notify)
    {
        if (!byDeclaration.TryGetValue(name, out var previous) || previous.Refusal is not null)
        {
            return null;
        }

        if (declared.TryGetValue((previous.ApiVersion, previous.Kind), out var entry) && entry.DeclaredBy == name
            && declared.TryRemove(new KeyValuePair<(string, string), WorkloadKindEntry>((previous.ApiVersion, previous.Kind), entry)))
        {
            if (notify)
            {
                DeclaredChanged?.Invoke(entry.Resource, false);
            }

            return entry.Resource;
        }

        return null;
    }

    /// <summary>The adapter that runs a kind's revisions side by side (blue/green): its two-object adapter, or its own when it has one.</summary>
    public IWorkloadAdapter SideBySide(ResourceKind resource, IWorkloadAdapter adapter) =>
        adapter.Style == WorkloadStyle.TwoObject ? adapter : sideBySide.GetValueOrDefault((resource.ApiVersion, resource.Kind)) ?? adapter;

    private void Add(ResourceKind resource, IWorkloadAdapter adapter) =>
        builtIn[(resource.ApiVersion, resource.Kind)] = new WorkloadKindEntry(resource, adapter);
}

/// <summary>One kind a rollout can drive: its resource, its adapter and where its objects keep the pod template and replicas.</summary>
public sealed record WorkloadKindEntry(ResourceKind Resource, IWorkloadAdapter Adapter)
{
    public string TemplatePath { get; init; } = "spec.template";

    /// <summary>Null for a kind that sizes itself (its adapter is then an <see cref="IWorkloadSizer"/>).</summary>
    public string? ReplicasPath { get; init; } = "spec.replicas";

    /// <summary>The WorkloadKind that declared it; null for a built-in kind.</summary>
    public string? DeclaredBy { get; init; }

    /// <summary>How the resolver sizes a kind whose size is not its replicas field (a DaemonSet, a declared kind without one).</summary>
    public IWorkloadSizer? Sizer => DeclaredBy is null ? Adapter as IWorkloadSizer : ReplicasPath is null ? Adapter as IWorkloadSizer : null;
}
