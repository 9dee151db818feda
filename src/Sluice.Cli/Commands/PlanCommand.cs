using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Output;
using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Manifests;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice plan</c>: resolves a rollout plan against a size with the same code the controller runs
/// in verifyingSpec, and shows each batch; an invalid plan exits 2 and says why.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(ICliConsole console)
    {
        var replicas = Options.Count("--replicas", "Upgrade this many pods in place (source and target the same size).");
        var from = Options.Count("--from", "Scale: the workload's size before the rollout.");
        var to = Options.Count("--to", "Scale: the workload's size after the rollout.");
        var batches = new Option<string?>("--batches") { Description = "Comma-separated batch sizes, ints or percents, e.g. 1,20%,50%,2." };
        var file = new Option<string?>("--filename", "-f") { Description = "A YAML file holding an AppRollout or a bare rolloutPlan ('-' reads stdin)." };
        var partition = Options.Count("--partition", "Show where a rollout with batchPartition: K parks.");
        var output = new Option<string>("--output", "-o") { Description = "Output format: table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");

        var command = new Command("plan", "Show the batches a rollout plan makes for a size, or why the plan is invalid.")
        {
            replicas, from, to, batches, file, partition, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new PlanRequest(
                parse.GetValue(replicas), parse.GetValue(from), parse.GetValue(to), parse.GetValue(batches),
                parse.GetValue(file), parse.GetValue(partition), parse.GetValue(output) == "json");
            return await RunAsync(request, console, cancellationToken);
        });
        return command;
    }

    private sealed record PlanRequest(int? Replicas, int? From, int? To, string? Batches, string? File, int? Partition, bool Json);

    private static async Task<int> RunAsync(PlanRequest request, ICliConsole console, CancellationToken cancellationToken)
    {
        var usage = UsageError(request);
        if (usage is not null)
        {
            await console.Error.WriteLineAsync($"error: {usage}");
            await console.Error.WriteLineAsync("Usage: sluice plan (--replicas N | --from A --to B) (--batches LIST | -f FILE) [--partition K] [-o table|json]");
            return ExitCodes.Usage;
        }

        RolloutPlan plan;
        try
        {
            plan = request.File is null ? FromBatches(request.Batches!) : ManifestReader.ReadPlan(await ReadFileAsync(request.File, console, cancellationToken));
        }
        catch (Exception e) when (e is ManifestException or IOException or UnauthorizedAccessException)
        {
            return await InvalidAsync(request, console, e.Message);
        }

        if (request.Partition is { } k)
        {
            plan = plan with { BatchPartition = k };
        }

        var shape = Shape(request, plan);
        if (shape is null)
        {
            return await InvalidAsync(request, console,
                "no size given: pass --replicas N (upgrade) or --from A --to B (scale), or set rolloutPlan.targetSize");
        }

        var result = PlanCalculator.Calculate(plan, shape);
        if (!result.IsValid)
        {
            return await InvalidAsync(request, console, result.Error.Message);
        }

        if (request.Json)
        {
            await console.Out.WriteLineAsync(Json(result.Plan, plan).ToJsonString());
        }
        else
        {
            await console.Out.WriteAsync(Table(result.Plan, plan));
        }

        return ExitCodes.Success;
    }

    private static string? UsageError(PlanRequest request)
    {
        var scale = request.From is not null || request.To is not null;
        if (request.Replicas is not null && scale)
        {
            return "use either --replicas or --from/--to, not both";
        }

        if (scale && (request.From is null || request.To is null))
        {
            return "--from and --to go together";
        }

        if (request.Replicas is < 0 || request.From is < 0 || request.To is < 0)
        {
            return "sizes must not be negative";
        }

        if (request.Partition is < 0)
        {
            return "--partition must not be negative";
        }

        if (request.File is not null && request.Batches is not null)
        {
            return "use either -f or --batches, not both";
        }

        if (request.File is null && request.Batches is null)
        {
            return "give the batches with --batches LIST or a file with -f FILE";
        }

        return request.File is null && request.Replicas is null && !scale ? "give a size: --replicas N, or --from A --to B" : null;
    }

    private static RolloutPlan FromBatches(string list)
    {
        var parsed = new List<RolloutBatch>();
        foreach (var (text, index) in list.Split(',').Select((t, i) => (t.Trim(), i)))
        {
            if (!IntOrPercent.TryParse(text, out var value))
            {
                throw new ManifestException($"--batches: item {index} \"{text}\" is neither an integer nor a percent such as \"20%\"");
            }

            parsed.Add(new RolloutBatch { Replicas = value });
        }

        return new RolloutPlan { RolloutBatches = parsed };
    }

    private static RolloutShape? Shape(PlanRequest request, RolloutPlan plan) =>
        request switch
        {
            { From: { } a, To: { } b } => RolloutShape.Scale(a, b),
            { Replicas: { } n } => RolloutShape.Upgrade(n),
            _ when plan.TargetSize is { } size and >= 0 => RolloutShape.Upgrade(size),
            _ => null,
        };

    private static async Task<string> ReadFileAsync(string path, ICliConsole console, CancellationToken cancellationToken) =>
        path == "-" ? await console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);

    private static async Task<int> InvalidAsync(PlanRequest request, ICliConsole console, string error)
    {
        if (request.Json)
        {
            await console.Out.WriteLineAsync(new JsonObject { ["valid"] = false, ["error"] = error }.ToJsonString());
        }
        else
        {
            await console.Error.WriteLineAsync($"invalid plan: {error}");
        }

        return ExitCodes.Invalid;
    }

    private static JsonObject Json(BatchPlan resolved, RolloutPlan plan)
    {
        var json = new JsonObject
        {
            ["valid"] = true,
            ["mode"] = resolved.Shape.Mode == RolloutMode.Upgrade ? "upgrade" : "scale",
            ["original"] = resolved.Shape.Original,
            ["target"] = resolved.Shape.Target,
            ["batches"] = new JsonArray(resolved.Batches.Select(b => (JsonNode)new JsonObject
            {
                ["index"] = b.Index,
                ["replicas"] = b.Replicas?.ToString() ?? "rest",
                ["size"] = b.Size,
                ["target"] = b.Target,
            }).ToArray()),
        };
        if (plan.BatchPartition is { } partition)
        {
            var parks = resolved.ParksAfter(partition);
            json["partition"] = new JsonObject { ["batchPartition"] = partition, ["parksAfterBatch"] = parks.Index, ["target"] = parks.Target };
        }

        return json;
    }

    private static string Table(BatchPlan resolved, RolloutPlan plan)
    {
        var shape = resolved.Shape;
        var upgrade = shape.Mode == RolloutMode.Upgrade;
        var parks = plan.BatchPartition is { } p ? resolved.ParksAfter(p).Index : (int?)null;
        var headers = upgrade
            ? new[] { "BATCH", "REPLICAS", "PODS", "UPGRADED", "OLD LEFT", "" }
            : new[] { "BATCH", "REPLICAS", "PODS", "SIZE", "" };
        var rows = resolved.Batches.Select(b =>
        {
            var note = b.Index == parks ? $"<- parks here (batchPartition: {plan.BatchPartition})" : string.Empty;
            return upgrade
                ? (IReadOnlyList<string>)[$"{b.Index}", b.Replicas?.ToString() ?? "rest", $"{b.Size}", $"{b.Target}", $"{shape.Target - b.Target}", note]
                : [$"{b.Index}", b.Replicas?.ToString() ?? "rest", $"{b.Size}", $"{b.Target}", note];
        });
        var title = $"{Capitalized(shape.ToString())} in {resolved.Count} batch{(resolved.Count == 1 ? "" : "es")} ({plan.EffectiveStrategy})";
        var footer = parks is { } index
            ? $"Parks after batch {index} with {resolved[index].Target} {(upgrade ? "pods upgraded" : "pods")} until batchPartition is raised.\n"
            : string.Empty;
        return $"{title}\n{TextTable.Render(headers, rows)}{footer}";
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
