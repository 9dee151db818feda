using Sluice.Controllers.Kube;

namespace Sluice.Cli.Commands;

/// <summary>A resolved connection: the API, the namespace to use, and whether to list across all of them.</summary>
internal sealed record Connection(IKubeApi Api, string Namespace, bool AllNamespaces)
{
    /// <summary>The namespace for a list: null (all) with -A.</summary>
    public string? ListNamespace => AllNamespaces ? null : Namespace;
}
