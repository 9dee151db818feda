using System.Text.Json.Nodes;

namespace Sluice.Controllers.Applications;

/// <summary>
/// The ConfigMaps and Secrets a rendered workload's pods read: in every pod spec (any object with a <c>containers</c>
/// list, wherever the kind keeps its template), <c>volumes[].configMap.name</c>, <c>volumes[].secret.secretName</c>,
/// <c>volumes[].projected.sources[].configMap|secret.name</c>, and in each container and init container
/// <c>envFrom[].configMapRef|secretRef.name</c> and <c>env[].valueFrom.configMapKeyRef|secretKeyRef.name</c>.
/// </summary>
internal static class ConfigReferences
{
    public const string ConfigMap = "ConfigMap";
    public const string Secret = "Secret";

    /// <summary>Every distinct (kind, name) referenced, in the order found.</summary>
    public static IReadOnlyList<(string Kind, string Name)> Find(JsonNode? workload)
    {
        var found = new List<(string, string)>();
        Visit(workload, (kind, name) =>
        {
            if (!found.Contains((kind, name)))
            {
                found.Add((kind, name));
            }

            return null;
        });
        return found;
    }

    /// <summary>Points every reference <paramref name="rename"/> has a new name for at that name (in place).</summary>
    public static void Rename(JsonNode? workload, Func<string, string, string?> rename) => Visit(workload, rename);

    private static void Visit(JsonNode? node, Func<string, string, string?> visit)
    {
        switch (node)
        {
            case JsonObject obj when obj["containers"] is JsonArray:
                PodSpec(obj, visit);
                break;
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    Visit(child, visit);
                }

                break;
            case JsonArray list:
                foreach (var child in list)
                {
                    Visit(child, visit);
                }

                break;
        }
    }

    private static void PodSpec(JsonObject pod, Func<string, string, string?> visit)
    {
        foreach (var volume in Objects(pod["volumes"]))
        {
            Ref(volume["configMap"] as JsonObject, "name", ConfigMap, visit);
            Ref(volume["secret"] as JsonObject, "secretName", Secret, visit);
            foreach (var source in Objects(volume["projected"]?["sources"]))
            {
                Ref(source["configMap"] as JsonObject, "name", ConfigMap, visit);
                Ref(source["secret"] as JsonObject, "name", Secret, visit);
            }
        }

        foreach (var container in Objects(pod["containers"]).Concat(Objects(pod["initContainers"])))
        {
            foreach (var from in Objects(container["envFrom"]))
            {
                Ref(from["configMapRef"] as JsonObject, "name", ConfigMap, visit);
                Ref(from["secretRef"] as JsonObject, "name", Secret, visit);
            }

            foreach (var env in Objects(container["env"]))
            {
                Ref(env["valueFrom"]?["configMapKeyRef"] as JsonObject, "name", ConfigMap, visit);
                Ref(env["valueFrom"]?["secretKeyRef"] as JsonObject, "name", Secret, visit);
            }
        }
    }

    private static void Ref(JsonObject? holder, string field, string kind, Func<string, string, string?> visit)
    {
        if (holder?[field] is JsonValue value && value.TryGetValue<string>(out var name) && name.Length > 0 && visit(kind, name) is { } renamed)
        {
            holder[field] = renamed;
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();
}
