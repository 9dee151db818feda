using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Cli.Output;
using Sluice.Controllers.Runtime;
using Sluice.Manifests;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice get apps|revisions|rollouts|definitions|analysisruns [NAME] [-o wide|yaml|json]</c>: a table with the columns a user
/// needs, or the objects as YAML or JSON on stdout; <c>-w</c> then prints each object again as it changes (from a watch).
/// </summary>
internal static class GetCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var kind = new Argument<string>("KIND") { Description = "apps, revisions, rollouts, definitions or analysisruns (singular and full names work too)." };
        kind.CompletionSources.Add("apps", "revisions", "rollouts", "definitions", "analysisruns");
        kind.Validators.Add(result =>
        {
            var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ResourceTables.Find(value) is null)
            {
                result.AddError($"KIND: \"{value}\" is not one of apps, revisions, rollouts, definitions, analysisruns");
            }
        });
        var name = new Argument<string?>("NAME") { Description = "Only this object.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--output", "-o") { Description = "wide (more columns), yaml or json." };
        output.AcceptOnlyFromAmong("wide", "yaml", "json");
        var watch = new Option<bool>("--watch", "-w") { Description = "After the list, print each object again whenever it changes, until Ctrl+C." };
        var command = new Command("get", "List Applications, ApplicationRevisions, AppRollouts, ComponentDefinitions or AnalysisRuns.") { kind, name, output, watch };
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

            if (parse.GetValue(watch))
            {
                await WatchAsync(target, table, only, parse.GetValue(output), items, console, time, cancellationToken);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Follows the kind through a watch of the API (<see cref="ClusterCache"/>) and prints each object whose row (or,
    /// with -o yaml|json, whose content) changed: a row without the header, or a document. Ends at Ctrl+C, SIGTERM or
    /// cancellation.
    /// </summary>
    private static async Task WatchAsync(
        Connection target, ResourceTable table, string? only, string? output, List<JsonObject> initial, ICliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
        var wide = output == "wide";
        var withNamespace = table.Kind.Namespaced && target.AllNamespaces;
        string Shown(JsonObject item) => output is "yaml" or "json"
            ? item.ToJsonString()
            : table.Render([item], time.GetUtcNow(), wide, withNamespace).Split('\n')[1];
        string Key(JsonObject item) => $"{item["metadata"]?["namespace"]}/{item["metadata"]?["name"]}";
        var seen = initial.ToDictionary(Key, i => (Version: i["metadata"]?["resourceVersion"]?.GetValue<string>(), Shown: Shown(i)));
        var changes = Channel.CreateUnbounded<InformerEvent>(new UnboundedChannelOptions { SingleReader = true });
        await using var cache = new ClusterCache(target.Api, time, NullLogger.Instance, linger: TimeSpan.Zero);
        cache.Changed += (_, change) => changes.Writer.TryWrite(change);
        using var lease = cache.Acquire(table.Kind, table.Kind.Namespaced ? target.ListNamespace : null);
        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(stop.Token))
            {
                var item = change.Object;
                if (change.Type == InformerEventType.Deleted || (only is not null && item["metadata"]?["name"]?.GetValue<string>() != only))
                {
                    continue;
                }

                var version = item["metadata"]?["resourceVersion"]?.GetValue<string>();
                if (seen.TryGetValue(Key(item), out var last) && last.Version == version)
                {
                    continue;
                }

                var shown = Shown(item);
                seen[Key(item)] = (version, shown);
                if (last.Shown == shown)
                {
                    continue;
                }

                await console.Out.WriteAsync(output switch
                {
                    "yaml" => "---\n" + YamlJson.ToYaml(item),
                    "json" => item.ToJsonString(Indented) + "\n",
                    _ => shown + "\n",
                });
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One object when a NAME was given, else a v1 List, as kubectl prints them.</summary>
    private static JsonNode Result(List<JsonObject> items, string? only) =>
        only is not null
            ? items[0]
            : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()) };
}
