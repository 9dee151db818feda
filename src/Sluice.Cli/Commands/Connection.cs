using Sluice.Controllers.Kube;

namespace Sluice.Cli.Commands;

/// <summary>
/// A resolved connection: the API, the namespace to use, whether to list across all of them, and the embedded plane's data
/// directory when the API is <c>sluice up</c>'s (null for any other cluster).
/// </summary>
internal sealed record Connection(IKubeApi Api, string Namespace, bool AllNamespaces, string? EmbeddedDataDir = null)
{
    /// <summary>The namespace for a list: null (all) with -A.</summary>
    public string? ListNamespace => AllNamespaces ? null : Namespace;
}
