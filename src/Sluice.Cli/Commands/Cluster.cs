using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Controllers.Kube;

namespace Sluice.Cli.Commands;

/// <summary>Runs a verb against the cluster, turning "no cluster" and API failures into exit 3 with a message.</summary>
internal static class Cluster
{
    public static async Task<int> RunAsync(ICliConsole console, ConnectionOptions connection, ParseResult parse, Func<Connection, Task<int>> verb)
    {
        Connection target;
        try
        {
            target = connection.Connect(parse);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException)
        {
            await console.Error.WriteLineAsync($"error: no cluster to talk to: {e.Message}");
            return ExitCodes.Unavailable;
        }

        try
        {
            return await verb(target);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
    }
}
