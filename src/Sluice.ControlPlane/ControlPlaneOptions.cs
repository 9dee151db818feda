namespace Sluice.ControlPlane;

/// <summary>How to start the embedded control plane.</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>kube-apiserver's limit on request bodies (3 MiB); larger ones get 413.</summary>
    public const long MaxRequestBodyBytes = 3 * 1024 * 1024;

    /// <summary>Where the store, the lock and the kubeconfig live (default <c>~/.sluice</c>).</summary>
    public string DataDir { get; init; } = DefaultDataDir;

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Address to listen on; loopback unless the user asks otherwise.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>How many changes a watch may resume across; older resourceVersions get 410 Gone.</summary>
    public int WatchHistory { get; init; } = 10_000;

    /// <summary>How often watchers that asked for bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(15);

    public static string DefaultDataDir =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sluice");
}
