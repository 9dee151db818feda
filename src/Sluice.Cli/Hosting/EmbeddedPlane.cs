using Sluice.ControlPlane;
using Sluice.Core.Operations;
using Sluice.Simulator.Traffic;

namespace Sluice.Cli.Hosting;

/// <summary>
/// Whether a connection is to the embedded plane (<c>sluice up</c>), and its data directory: the kubeconfig that names the
/// API lies in a data directory whose endpoints.json records that same API, and a plane serves it (its lock is held).
/// Views then read what only the embedded plane has, such as the data plane's live request counts (<c>traffic</c>).
/// </summary>
internal static class EmbeddedPlane
{
    /// <summary>Reads the data plane's counts: on loopback, answered at once or not at all.</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>The data plane's live shares when <paramref name="dataDir"/> is a running embedded plane that records one; null otherwise (a real cluster).</summary>
    public static ILiveTraffic? LiveTraffic(string? dataDir, TimeProvider time) =>
        dataDir is not null && TrafficUrl(dataDir) is { } url ? Simulator.Traffic.LiveTraffic.Of(url, Http, time) : null;

    /// <summary>The data directory serving <paramref name="apiHost"/>, looked for beside each kubeconfig in turn; null for any other cluster.</summary>
    public static string? DataDirFor(string? apiHost, IEnumerable<string?> kubeconfigs)
    {
        if (!Uri.TryCreate(apiHost, UriKind.Absolute, out var api))
        {
            return null;
        }

        foreach (var kubeconfig in kubeconfigs.OfType<string>().Where(k => k.Length > 0))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(kubeconfig));
            if (dir is null || !File.Exists(Path.Combine(dir, EndpointsFile.FileName)))
            {
                continue;
            }

            if (EndpointsFile.Read(dir).TryGetValue("api", out var recorded) && Uri.TryCreate(recorded, UriKind.Absolute, out var served)
                && Uri.Compare(api, served, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
                && DataDirProbe.IsServing(dir))
            {
                return dir;
            }
        }

        return null;
    }

    /// <summary>The kubeconfigs a connection may have come from, in the order <see cref="KubeConnection"/> picks them.</summary>
    public static IEnumerable<string?> Candidates(string? explicitKubeconfig)
    {
        yield return explicitKubeconfig;
        yield return Path.Combine(ControlPlaneOptions.DefaultDataDir, "kubeconfig");
        foreach (var file in (Environment.GetEnvironmentVariable("KUBECONFIG") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return file;
        }
    }

    /// <summary>The data plane's <c>traffic</c> URL recorded in the data directory's endpoints.json, when it has one.</summary>
    public static Uri? TrafficUrl(string dataDir) =>
        EndpointsFile.Read(dataDir).TryGetValue("traffic", out var url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
