using k8s;
using Sluice.Controllers.Kube;
using Sluice.ControlPlane;

namespace Sluice.Cli.Hosting;

/// <summary>
/// Which cluster a verb talks to: <c>--kubeconfig</c>; else the embedded plane's kubeconfig when <c>sluice up</c>
/// runs; else in-cluster service account; else KUBECONFIG (its first file) or ~/.kube/config.
/// </summary>
internal static class KubeConnection
{
    public static KubernetesClientConfiguration Configuration(string? kubeconfig, string? context = null)
    {
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context);
        }

        var embedded = Path.Combine(ControlPlaneOptions.DefaultDataDir, "kubeconfig");
        if (File.Exists(embedded) && DataDirProbe.IsServing(ControlPlaneOptions.DefaultDataDir))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(embedded, context);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        // As kubectl: KUBECONFIG (the first file it lists that exists), then ~/.kube/config. A kubectl plugin relies on this.
        var listed = (Environment.GetEnvironmentVariable("KUBECONFIG") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(listed, context);
    }

    public static KubeApi Api(KubernetesClientConfiguration configuration) => KubeApi.FromConfig(configuration);
}
