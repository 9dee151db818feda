using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Http;

/// <summary>
/// Server-side tables (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>) so that
/// <c>kubectl get</c> prints a CRD's printer columns and the built-ins' usual columns.
/// </summary>
internal sealed class TableConverter(TimeProvider time)
{
    private sealed record Column(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, JsonNode?> Cell);

    public JsonObject Convert(ResourceType type, IEnumerable<JsonObject> items, long resourceVersion, string? includeObject, bool withDefinitions = true)
    {
        var columns = Columns(type);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(columns.Select(c => c.Cell(item)?.DeepClone()).ToArray()) };
            if (includeObject != "None")
            {
                row["object"] = includeObject == "Object" ? item.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                };
            }
            rows.Add(row);
        }
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = withDefinitions
                ? new JsonArray(columns.Select(c => (JsonNode?)new JsonObject
                {
                    ["name"] = c.Name,
                    ["type"] = c.Type,
                    ["format"] = c.Format,
                    ["description"] = c.Description,
                    ["priority"] = c.Priority,
                }).ToArray())
                : new JsonArray(),
            ["rows"] = rows,
        };
        return table;
    }

    private List<Column> Columns(ResourceType type)
    {
        var name = new Column("Name", "string", "name", "Name must be unique within a namespace.", 0, o => Meta.Name(o));
        var age = new Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, Age);
        if (type.IsCustom)
        {
            if (type.Columns is not { Count: > 0 } custom)
            {
                return [name, age];
            }
            return [name, .. custom.Select(c => new Column(c.Name, c.Type == "date" ? "string" : c.Type, c.Format, c.Description, c.Priority,
                o => CustomCell(c, o)))];
        }
        return (type.Group, type.Plural) switch
        {
            ("apps", "deployments") => [name, Text("Ready", o => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas")}"),
                Number("Up-to-date", o => Int(o, "status", "updatedReplicas")), Number("Available", o => Int(o, "status", "availableReplicas")), age],
            ("apps", "replicasets") => [name, Number("Desired", o => Int(o, "spec", "replicas")), Number("Current", o => Int(o, "status", "replicas")),
                Number("Ready", o => Int(o, "status", "readyReplicas")), age],
            ("apps", "statefulsets") => [name, Text("Ready", o => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas")}"), age],
            ("apps", "daemonsets") => [name, Number("Desired", o => Int(o, "status", "desiredNumberScheduled")),
                Number("Current", o => Int(o, "status", "currentNumberScheduled")), Number("Ready", o => Int(o, "status", "numberReady")),
                Number("Up-to-date", o => Int(o, "status", "updatedNumberScheduled")), Number("Available", o => Int(o, "status", "numberAvailable")), age],
            ("", "pods") => [name, Text("Ready", PodReady), Text("Status", PodStatus), Text("Restarts", PodRestarts), age],
            ("", "namespaces") => [name, Text("Status", o => Str(o["status"]?["phase"])), age],
            ("", "services") => [name, Text("Type", o => Str(o["spec"]?["type"]) is { Length: > 0 } t ? t : "ClusterIP"),
                Text("Cluster-IP", o => Str(o["spec"]?["clusterIP"]) is { Length: > 0 } ip ? ip : "<none>"),
                Text("External-IP", _ => "<none>"), Text("Port(s)", ServicePorts), age],
            ("", "nodes") => [name, Text("Status", NodeStatus), Text("Roles", _ => "<none>"), age,
                Text("Version", o => Str(o["status"]?["nodeInfo"]?["kubeletVersion"]))],
            ("", "configmaps") => [name, Number("Data", o => (o["data"] as JsonObject)?.Count ?? 0), age],
            ("", "secrets") => [name, Text("Type", o => Str(o["type"]) is { Length: > 0 } t ? t : "Opaque"), Number("Data", o => (o["data"] as JsonObject)?.Count ?? 0), age],
            ("", "events") => [Text("Last Seen", o => AgeOf(Str(o["lastTimestamp"]) is { Length: > 0 } t ? t : Meta.Str(o, "creationTimestamp"))),
                Text("Type", o => Str(o["type"])), Text("Reason", o => Str(o["reason"])),
                Text("Object", o => $"{Str(o["involvedObject"]?["kind"]).ToLowerInvariant()}/{Str(o["involvedObject"]?["name"])}"),
                Text("Message", o => Str(o["message"])), name with { Priority = 1 }],
            ("coordination.k8s.io", "leases") => [name, Text("Holder", o => Str(o["spec"]?["holderIdentity"])), age],
            ("apiextensions.k8s.io", _) => [name, Text("Created At", o => Meta.Str(o, "creationTimestamp"))],
            _ => [name, age],
        };
    }

    private static Column Text(string name, Func<JsonObject, string> cell) => new(name, "string", "", "", 0, o => cell(o));

    private static Column Number(string name, Func<JsonObject, long> cell) => new(name, "integer", "", "", 0, o => cell(o));

    private JsonNode? Age(JsonObject o) => AgeOf(Meta.Str(o, "creationTimestamp"));

    private string AgeOf(string timestamp) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? HumanDuration.Format(time.GetUtcNow() - at)
            : "<unknown>";

    private JsonNode? CustomCell(PrinterColumn column, JsonObject obj)
    {
        var value = JsonPathLite.Evaluate(obj, column.JsonPath);
        if (value is null)
        {
            return null;
        }
        if (column.Type == "date")
        {
            return AgeOf(Str(value));
        }
        return value is JsonValue ? value.DeepClone() : JsonValue.Create(value.ToJsonString());
    }

    private static long Int(JsonObject o, string section, string field) =>
        o[section]?[field] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string PodReady(JsonObject o)
    {
        var total = (o["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = (o["status"]?["containerStatuses"] as JsonArray ?? []).Count(c => c?["ready"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);
        return $"{ready}/{total}";
    }

    private static string PodStatus(JsonObject o)
    {
        if (Meta.Str(o, "deletionTimestamp").Length > 0)
        {
            return "Terminating";
        }
        var reason = Str(o["status"]?["reason"]);
        if (reason.Length > 0)
        {
            return reason;
        }

        // As kubectl prints it: a container waiting (CrashLoopBackOff, ImagePullBackOff) or terminated says why.
        foreach (var container in o["status"]?["containerStatuses"] as JsonArray ?? [])
        {
            if (Str(container?["state"]?["waiting"]?["reason"]) is { Length: > 0 } waiting)
            {
                return waiting;
            }

            if (Str(container?["state"]?["terminated"]?["reason"]) is { Length: > 0 } terminated)
            {
                return terminated;
            }
        }

        return Str(o["status"]?["phase"]) is { Length: > 0 } phase ? phase : "Pending";
    }

    private static string PodRestarts(JsonObject o) =>
        (o["status"]?["containerStatuses"] as JsonArray ?? [])
            .Sum(c => c?["restartCount"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0)
            .ToString(CultureInfo.InvariantCulture);

    private static string ServicePorts(JsonObject o)
    {
        var ports = (o["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => $"{p["port"]}/{(Str(p["protocol"]) is { Length: > 0 } proto ? proto : "TCP")}")
            .ToList();
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    private static string NodeStatus(JsonObject o)
    {
        var ready = (o["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => Str(c["type"]) == "Ready");
        return ready is null ? "Unknown" : Str(ready["status"]) == "True" ? "Ready" : "NotReady";
    }
}
