using System.CommandLine;
using Sluice.Cli.Hosting;
using Sluice.Controllers.Kube;

namespace Sluice.Cli.Commands;

/// <summary>
/// kubectl-style connection options, recursive on the root command so they are accepted before or after the verb:
/// <c>--kubeconfig</c>, <c>--context</c>, <c>-n/--namespace</c>, <c>-A/--all-namespaces</c>.
/// </summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "The kubeconfig to use (default: the embedded plane's when `sluice up` runs, else in-cluster or KUBECONFIG).",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context") { Description = "The kubeconfig context to use.", Recursive = true };

    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace (default: the context's, else \"default\"; `controller`: all).",
        Recursive = true,
    };

    public Option<bool> AllNamespaces { get; } = new("--all-namespaces", "-A") { Description = "List across all namespaces.", Recursive = true };

    public IEnumerable<Option> All => [Kubeconfig, Context, Namespace, AllNamespaces];

    /// <summary>The API and namespace a verb talks to. Throws KubeConfigException or IOException when there is no cluster.</summary>
    public Connection Connect(ParseResult parse)
    {
        var configuration = KubeConnection.Configuration(parse.GetValue(Kubeconfig), parse.GetValue(Context));
        var ns = parse.GetValue(Namespace) ?? configuration.Namespace ?? "default";
        var embedded = EmbeddedPlane.DataDirFor(configuration.Host, EmbeddedPlane.Candidates(parse.GetValue(Kubeconfig)));
        return new Connection(KubeConnection.Api(configuration), ns, parse.GetValue(AllNamespaces), embedded);
    }
}
