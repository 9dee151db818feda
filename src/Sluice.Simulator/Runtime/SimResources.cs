using Sluice.ControlPlane.Resources;

namespace Sluice.Simulator.Runtime;

/// <summary>The resources the simulator reads and writes.</summary>
internal static class SimResources
{
    public static GroupResource Pods { get; } = new("", "pods");
    public static GroupResource Nodes { get; } = new("", "nodes");
    public static GroupResource Deployments { get; } = new("apps", "deployments");
    public static GroupResource ReplicaSets { get; } = new("apps", "replicasets");
    public static GroupResource StatefulSets { get; } = new("apps", "statefulsets");
    public static GroupResource DaemonSets { get; } = new("apps", "daemonsets");
    public static GroupResource ControllerRevisions { get; } = new("apps", "controllerrevisions");
    public static GroupResource CloneSets { get; } = new("apps.kruise.io", "clonesets");
    public static GroupResource Jobs { get; } = new("batch", "jobs");
    public static GroupResource CronJobs { get; } = new("batch", "cronjobs");
    public static GroupResource Services { get; } = new("", "services");
    public static GroupResource EndpointSlices { get; } = new("discovery.k8s.io", "endpointslices");
    public static GroupResource WorkloadKinds { get; } = new("rollout.sluice.dev", "workloadkinds");
}
