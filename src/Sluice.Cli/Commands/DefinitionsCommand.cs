using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Controllers.Kube;
using Sluice.Cue.Catalog;
using Sluice.Manifests;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice definitions</c>: the component types installed in the cluster (ComponentDefinitions);
/// <c>sluice definitions show TYPE</c>: each parameter with its type, default and usage text.
/// With <c>-f FILE</c> it reads a definition file instead of the cluster.
/// </summary>
internal static class DefinitionsCommand
{
    public static Command Create(ICliConsole console, ConnectionOptions connection)
    {
        var kubeconfig = connection.Kubeconfig;
        var list = new Command("definitions", "List the component types (ComponentDefinitions) installed in the cluster.");
        list.SetAction(async (parse, cancellationToken) => await ListAsync(parse.GetValue(kubeconfig), console, cancellationToken));

        var type = new Argument<string>("TYPE") { Description = "The component type, e.g. clonesetservice." };
        var file = new Option<string?>("--filename", "-f") { Description = "Read the definition from this YAML file instead of the cluster." };
        var show = new Command("show", "Show a component type's parameters: type, default, whether required, and usage.") { type, file };
        show.SetAction(async (parse, cancellationToken) =>
            await ShowAsync(parse.GetValue(type)!, parse.GetValue(file), parse.GetValue(kubeconfig), console, cancellationToken));
        list.Subcommands.Add(show);
        return list;
    }

    private static async Task<int> ListAsync(string? kubeconfig, ICliConsole console, CancellationToken cancellationToken)
    {
        JsonObject items;
        try
        {
            var api = KubeConnection.Api(KubeConnection.Configuration(kubeconfig));
            items = await api.ListAsync(ResourceKind.ComponentDefinition, null, null, cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or k8s.Exceptions.KubeConfigException)
        {
            await console.Error.WriteLineAsync($"error: cannot list ComponentDefinitions: {e.Message}");
            return ExitCodes.Unavailable;
        }

        var rows = (items["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(d => (IReadOnlyList<string>)
            [
                d["metadata"]?["name"]?.GetValue<string>() ?? "",
                d["metadata"]?["namespace"]?.GetValue<string>() ?? "",
                $"{d["spec"]?["workload"]?["definition"]?["kind"]?.GetValue<string>()} ({d["spec"]?["workload"]?["definition"]?["apiVersion"]?.GetValue<string>()})",
                Describe(d),
            ])
            .OrderBy(r => r[0], StringComparer.Ordinal);
        await console.Out.WriteAsync(TextTable.Render(["TYPE", "NAMESPACE", "WORKLOAD", "DESCRIPTION"], rows));
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(string type, string? file, string? kubeconfig, ICliConsole console, CancellationToken cancellationToken)
    {
        JsonObject? definition;
        try
        {
            definition = file is not null
                ? YamlJson.ParseAll(await File.ReadAllTextAsync(file, cancellationToken)).OfType<JsonObject>().FirstOrDefault(d => d["metadata"]?["name"]?.GetValue<string>() == type)
                : await FindAsync(KubeConnection.Api(KubeConnection.Configuration(kubeconfig)), type, cancellationToken);
        }
        catch (Exception e) when (e is ManifestException or IOException)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Invalid;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or k8s.Exceptions.KubeConfigException)
        {
            await console.Error.WriteLineAsync($"error: cannot read ComponentDefinition {type}: {e.Message}");
            return ExitCodes.Unavailable;
        }

        if (definition?["spec"]?["schematic"]?["cue"]?["template"]?.GetValue<string>() is not { } template)
        {
            await console.Error.WriteLineAsync($"error: component type \"{type}\" not found{(file is null ? " (see `sluice definitions`)" : $" in {file}")}");
            return ExitCodes.NotFound;
        }

        var described = DefinitionCatalog.Describe(type, template);
        if (!described.IsSuccess)
        {
            await console.Error.WriteLineAsync($"error: {described.Error!.Message}");
            return ExitCodes.Invalid;
        }

        await console.Out.WriteLineAsync($"{type}: {Describe(definition)}");
        var rows = Flatten(described.Value.Parameters, "").Select(p => (IReadOnlyList<string>)
        [
            p.Name, p.Parameter.Type, p.Parameter.Required ? "yes" : "", p.Parameter.Default ?? "", p.Parameter.Short is { } s ? $"-{s}" : "", p.Parameter.Usage ?? "",
        ]);
        await console.Out.WriteAsync(TextTable.Render(["PARAMETER", "TYPE", "REQUIRED", "DEFAULT", "SHORT", "USAGE"], rows));
        return ExitCodes.Success;
    }

    private static IEnumerable<(string Name, ParameterDescription Parameter)> Flatten(IEnumerable<ParameterDescription> parameters, string prefix)
    {
        foreach (var parameter in parameters)
        {
            var name = prefix + parameter.Name;
            yield return (name, parameter);
            foreach (var field in Flatten(parameter.Fields, name + "."))
            {
                yield return field;
            }
        }
    }

    private static async Task<JsonObject?> FindAsync(IKubeApi api, string type, CancellationToken cancellationToken)
    {
        var all = await api.ListAsync(ResourceKind.ComponentDefinition, null, null, cancellationToken);
        return (all["items"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(d => d["metadata"]?["name"]?.GetValue<string>() == type);
    }

    private static string Describe(JsonObject definition) =>
        (definition["metadata"]?["annotations"]?["definition.oam.dev/description"]?.GetValue<string>() ?? "").Split('.')[0];
}
