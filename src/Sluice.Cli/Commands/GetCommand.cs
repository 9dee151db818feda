using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Cli.Output;
using Sluice.Manifests;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice get apps|revisions|rollouts|definitions [NAME] [-o wide|yaml|json]</c>: a table with the columns a user
/// needs, or the objects as YAML or JSON on stdout.
/// </summary>
internal static class GetCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var kind = new Argument<string>("KIND") { Description = "apps, revisions, rollouts or definitions (singular and full names work too)." };
        kind.CompletionSources.Add("apps", "revisions", "rollouts", "definitions");
        kind.Validators.Add(result =>
        {
            var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ResourceTables.Find(value) is null)
            {
                result.AddError($"KIND: \"{value}\" is not one of apps, revisions, rollouts, definitions");
            }
        });
        var name = new Argument<string?>("NAME") { Description = "Only this object.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--output", "-o") { Description = "wide (more columns), yaml or json." };
        output.AcceptOnlyFromAmong("wide", "yaml", "json");
        var command = new Command("get", "List Applications, ApplicationRevisions, AppRollouts or ComponentDefinitions.") { kind, name, output };
        command.SetAction(async (parse, cancellationToken) => await Cluster.RunAsync(console, connection, parse, async target =>
        {
            var table = ResourceTables.Find(parse.GetValue(kind)!)!;
            var only = parse.GetValue(name);
            var ns = table.Kind.Namespaced ? target.ListNamespace : null;
            List<JsonObject> items;
            if (only is not null)
            {
                var one = await target.Api.GetAsync(table.Kind, table.Kind.Namespaced ? target.Namespace : null, only, cancellationToken);
                if (one is null)
                {
                    await console.Error.WriteLineAsync($"error: {table.Kind.Kind} \"{only}\" not found{(table.Kind.Namespaced ? $" in namespace {target.Namespace}" : "")}");
                    return ExitCodes.NotFound;
                }

                items = [one];
            }
            else
            {
                var list = await target.Api.ListAsync(table.Kind, ns, null, cancellationToken);
                items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            }

            switch (parse.GetValue(output))
            {
                case "yaml":
                    await console.Out.WriteAsync(YamlJson.ToYaml(Result(items, only)));
                    break;
                case "json":
                    await console.Out.WriteLineAsync(Result(items, only).ToJsonString(Indented));
                    break;
                default:
                    if (items.Count == 0)
                    {
                        await console.People.WriteLineAsync($"No {table.Kind.Plural} found{(ns is null ? "" : $" in namespace {ns}")}.");
                        break;
                    }

                    var wide = parse.GetValue(output) == "wide";
                    await console.Out.WriteAsync(table.Render(items, time.GetUtcNow(), wide, withNamespace: table.Kind.Namespaced && target.AllNamespaces));
                    break;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>One object when a NAME was given, else a v1 List, as kubectl prints them.</summary>
    private static JsonNode Result(List<JsonObject> items, string? only) =>
        only is not null
            ? items[0]
            : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()) };
}
