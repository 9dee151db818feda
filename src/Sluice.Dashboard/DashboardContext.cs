using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Dashboard.Panels;
using Sluice.Dashboard.Security;

namespace Sluice.Dashboard;

/// <summary>What every view and action reaches: the watch cache, the API (with the kubeconfig's identity), the scope and the time.</summary>
internal sealed class DashboardContext(IKubeApi api, ClusterCache cache, DashboardOptions options, DashboardAccess access, TimeProvider time)
{
    public IKubeApi Api => api;

    public ClusterCache Cache => cache;

    /// <summary>The one namespace the dashboard watches, or null for all.</summary>
    public string? Scope => options.Namespace;

    /// <summary>Where the dashboard's data comes from, for the page's footer (e.g. the API server's URL and the context).</summary>
    public string Cluster => options.ClusterDescription;

    public DashboardAccess Access => access;

    public TimeProvider Time => time;

    /// <summary>The rollouts' routers over time, as the dashboard saw them (the cluster keeps only their current rules).</summary>
    public TrafficHistory Traffic { get; } = new();

    /// <summary>The namespaces anything is seen in (rollouts and applications), for the filter.</summary>
    public IReadOnlyList<string> Namespaces() =>
        cache.List(ResourceKind.AppRollout, Scope).Concat(cache.List(ResourceKind.Application, Scope))
            .Select(o => o["metadata"]?["namespace"]?.GetValue<string>())
            .OfType<string>()
            .Append(Scope)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
