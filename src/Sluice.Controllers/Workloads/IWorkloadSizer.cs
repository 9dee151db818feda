using System.Text.Json.Nodes;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// A kind whose size is not its <c>spec.replicas</c> (a DaemonSet runs one pod per eligible node): the resolver
/// asks the adapter for the size instead of reading the manifest.
/// </summary>
public interface IWorkloadSizer
{
    /// <summary>The workload's size now, from <paramref name="live"/> or, when it does not exist yet, from the cluster.</summary>
    Task<WorkloadSize> SizeAsync(JsonObject? live, JsonObject targetManifest, string ns, CancellationToken cancellationToken);
}
