using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Output;
using Sluice.Controllers.Kube;
using Sluice.Core.Operations;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice set image APP COMPONENT=IMAGE...</c>: sets the components' <c>properties.image</c> on the Application, as
/// <c>kubectl argo rollouts set image</c> edits a Rollout; the Application controller makes a new revision of it, and an
/// AppRollout that follows the Application rolls it out. Written with the resourceVersion read (a 409 reads again).
/// </summary>
internal static class SetCommand
{
    private const int Attempts = 5;

    public static Command Create(ICliConsole console, ConnectionOptions connection)
    {
        var app = new Argument<string>("APP") { Description = "The Application's name." };
        var images = new Argument<string[]>("COMPONENT=IMAGE") { Description = "The component and its new image; several may be given.", Arity = ArgumentArity.OneOrMore };
        var image = new Command("image", "Set the image of Application components (properties.image); a following AppRollout rolls it out.") { app, images };
        image.SetAction(async (parse, cancellationToken) => await RunAsync(parse.GetValue(app)!, parse.GetValue(images) ?? [], parse, console, connection, cancellationToken));
        var command = new Command("set", "Change an Application: set image.");
        command.Subcommands.Add(image);
        return command;
    }

    private static async Task<int> RunAsync(string name, string[] arguments, ParseResult parse, ICliConsole console, ConnectionOptions connection, CancellationToken cancellationToken)
    {
        var (pairs, error) = ImageChange.Parse(arguments);
        if (error is not null)
        {
            await console.Error.WriteLineAsync($"error: {error}");
            return ExitCodes.Usage;
        }

        return await Cluster.RunAsync(console, connection, parse, async target =>
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var stored = await target.Api.GetAsync(ResourceKind.Application, target.Namespace, name, cancellationToken);
                if (stored is null)
                {
                    await console.Error.WriteLineAsync($"error: application/{name} not found in namespace {target.Namespace}");
                    return ExitCodes.NotFound;
                }

                var change = ImageChange.Apply(stored, pairs);
                if (change.Refusal is { } refusal)
                {
                    await console.Error.WriteLineAsync($"error: {refusal}");
                    return change.NotFound ? ExitCodes.NotFound : ExitCodes.Invalid;
                }

                if (change.Changed.Count == 0)
                {
                    await console.People.WriteLineAsync($"application/{name} unchanged: {string.Join(", ", pairs.Select(p => $"{p.Component}={p.Image}"))} already");
                    return ExitCodes.Success;
                }

                var patch = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["resourceVersion"] = stored["metadata"]?["resourceVersion"]?.GetValue<string>() },
                    ["spec"] = new JsonObject { ["components"] = change.Components },
                };
                try
                {
                    await target.Api.MergePatchAsync(ResourceKind.Application, target.Namespace, name, patch, null, cancellationToken);
                }
                catch (KubeApiException e) when (e.IsConflict)
                {
                    continue; // changed meanwhile: apply the images to what is there now
                }

                await console.People.WriteLineAsync($"application/{name} image updated: {string.Join(", ", change.Changed)}");
                return ExitCodes.Success;
            }

            await console.Error.WriteLineAsync($"error: application/{name} kept changing; {Attempts} attempts conflicted");
            return ExitCodes.Unavailable;
        });
    }
}
