using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Controllers;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice version</c>: this client's version and, when a cluster answers, the leading controller's (from its
/// leader-election Lease, which the leader stamps with its version): <c>kubectl sluice version</c> tells both apart.
/// </summary>
internal static class VersionCommand
{
    /// <summary>Where controllers keep their Lease: the install's namespace, then the default of <c>sluice controller</c>.</summary>
    private static readonly string[] LeaseNamespaces = ["sluice-system", "kube-system"];

    public static Command Create(ICliConsole console, ConnectionOptions connection)
    {
        var clientOnly = new Option<bool>("--client") { Description = "Print the client's version only (no cluster is asked)." };
        var leaseNamespace = new Option<string?>("--lease-namespace") { Description = "Where the controller's Lease is (default: sluice-system, then kube-system)." };
        var command = new Command("version", "Print the client's version and the running controller's.") { clientOnly, leaseNamespace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await console.Out.WriteLineAsync($"Client: sluice {SluiceVersion.Current}");
            if (parse.GetValue(clientOnly))
            {
                return ExitCodes.Success;
            }

            var namespaces = parse.GetValue(leaseNamespace) is { Length: > 0 } given ? [given] : LeaseNamespaces;
            try
            {
                var api = connection.Connect(parse).Api;
                foreach (var ns in namespaces)
                {
                    var lease = await api.GetAsync(ResourceKind.Lease, ns, "sluice-controller", cancellationToken);
                    var holder = lease?["spec"]?["holderIdentity"]?.GetValue<string>();
                    if (lease is null || string.IsNullOrEmpty(holder))
                    {
                        continue;
                    }

                    var version = lease["metadata"]?["annotations"]?[LeaseElector.VersionAnnotation]?.GetValue<string>() ?? "unknown (a controller older than 0.2)";
                    await console.Out.WriteLineAsync($"Controller: sluice {version} (leader {holder}, lease {ns}/sluice-controller)");
                    return ExitCodes.Success;
                }

                await console.Out.WriteLineAsync($"Controller: none leading (no held Lease sluice-controller in {string.Join(" or ", namespaces)})");
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or k8s.Exceptions.KubeConfigException)
            {
                await console.Error.WriteLineAsync($"Controller: unknown ({e.Message})");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
