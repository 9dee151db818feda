using System.CommandLine;
using Sluice.Cli.Manifests;
using Sluice.Cli.Output;
using Sluice.Controllers.Kube;
using Sluice.Manifests;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice apply -f FILE|DIR|-</c>: creates or updates each document; <c>sluice delete -f ...</c>: deletes them
/// (in reverse order). Multi-document YAML; documents without a namespace go to <c>-n</c>.
/// </summary>
internal static class ApplyCommand
{
    public static Command CreateApply(ICliConsole console, ConnectionOptions connection)
    {
        var files = Files();
        var command = new Command("apply", "Create or update the objects in files, folders or stdin (-f -).") { files };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse, files, console, connection, delete: false, cancellationToken));
        return command;
    }

    public static Command CreateDelete(ICliConsole console, ConnectionOptions connection)
    {
        var files = Files();
        var command = new Command("delete", "Delete the objects named in files, folders or stdin (-f -).") { files };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse, files, console, connection, delete: true, cancellationToken));
        return command;
    }

    private static Option<string[]> Files() => new("--filename", "-f")
    {
        Description = "A YAML or JSON file, a folder of them, or - for stdin; may be repeated.",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };

    private static async Task<int> RunAsync(ParseResult parse, Option<string[]> files, ICliConsole console, ConnectionOptions connection, bool delete, CancellationToken cancellationToken)
    {
        List<(string From, System.Text.Json.Nodes.JsonObject Document)> documents;
        try
        {
            documents = await ManifestSource.ReadAsync(parse.GetValue(files)!, console.In, cancellationToken);
        }
        catch (Exception e) when (e is ManifestException or IOException)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Invalid;
        }

        return await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var code = ExitCodes.Success;
            foreach (var (from, document) in delete ? Enumerable.Reverse(documents) : documents)
            {
                var (kind, ns, name) = ManifestApplier.Locate(document, target.Namespace);
                var display = ManifestApplier.Display(kind, name);
                try
                {
                    if (delete)
                    {
                        var deleted = await target.Api.DeleteAsync(kind, ns, name, "Background", cancellationToken);
                        await (deleted ? console.People : console.Error).WriteLineAsync(deleted ? $"{display} deleted" : $"error: {display} not found");
                        code = deleted ? code : Math.Max(code, ExitCodes.NotFound);
                    }
                    else
                    {
                        await console.People.WriteLineAsync($"{display} {await ManifestApplier.ApplyAsync(target.Api, document, target.Namespace, cancellationToken)}");
                    }
                }
                catch (KubeApiException e) when ((int)e.Status is >= 400 and < 500)
                {
                    await console.Error.WriteLineAsync($"error: {display} ({from}): {e.Message}");
                    code = ExitCodes.Invalid;
                }
            }

            return code;
        });
    }
}
