using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// The EndpointSlice controller for one Service, as kube-controller-manager keeps it: a Service with a selector gets
/// an EndpointSlice (<c>discovery.k8s.io/v1</c>, label <c>kubernetes.io/service-name</c>, managed by
/// <c>endpointslice-controller.k8s.io</c>, owned by the Service) listing every pod of its namespace that the selector
/// matches and that has an IP, with the conditions traffic routing reads: <c>ready</c> (its Ready condition is True and
/// it is not terminating), <c>serving</c> (Ready, terminating or not) and <c>terminating</c> (it has a deletionTimestamp).
/// A pod being deleted is therefore never a ready endpoint. Ports are the Service's, with named target ports resolved
/// against the pods' container ports.
/// </summary>
internal static class EndpointSliceLogic
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ManagedBy = "endpointslice-controller.k8s.io";

    /// <summary>Whether a Service's selector picks a pod (a Service without a selector picks none: its slices are the user's).</summary>
    public static bool Selects(JsonObject service, JsonObject pod)
    {
        if (Json.At(service, "spec", "selector") is not JsonObject { Count: > 0 } selector || Json.Namespace(pod) != Json.Namespace(service))
        {
            return false;
        }
        return selector.All(kv => Json.Label(pod, kv.Key) == (kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : ""));
    }

    /// <summary>The slice a Service should have (null: none, it has no selector), named after it, from the pods of its namespace.</summary>
    public static JsonObject? Desired(JsonObject service, IEnumerable<JsonObject> podsInNamespace)
    {
        if (Json.At(service, "spec", "selector") is not JsonObject { Count: > 0 } || Json.Deleting(service))
        {
            return null;
        }
        var pods = podsInNamespace.Where(p => Selects(service, p) && Json.Str(p, "status", "podIP").Length > 0)
            .OrderBy(Json.Name, StringComparer.Ordinal).ToList();
        var endpoints = new JsonArray();
        foreach (var pod in pods)
        {
            var endpoint = new JsonObject
            {
                ["addresses"] = new JsonArray(Json.Str(pod, "status", "podIP")),
                ["conditions"] = new JsonObject
                {
                    ["ready"] = Pods.IsReady(pod),
                    ["serving"] = Pods.IsServing(pod),
                    ["terminating"] = Json.Deleting(pod),
                },
                ["targetRef"] = new JsonObject
                {
                    ["kind"] = "Pod",
                    ["namespace"] = Json.Namespace(pod),
                    ["name"] = Json.Name(pod),
                    ["uid"] = Json.Uid(pod),
                },
            };
            if (Json.Str(pod, "spec", "nodeName") is { Length: > 0 } node)
            {
                endpoint["nodeName"] = node;
            }
            endpoints.Add(endpoint);
        }
        var ports = new JsonArray();
        foreach (var port in (Json.At(service, "spec", "ports") as JsonArray ?? []).OfType<JsonObject>())
        {
            if (TargetPort(port, pods) is not { } number)
            {
                continue;
            }
            var entry = new JsonObject { ["name"] = Json.Str(port, "name"), ["port"] = number, ["protocol"] = Json.Str(port, "protocol") is { Length: > 0 } p ? p : "TCP" };
            if (Json.Str(port, "appProtocol") is { Length: > 0 } app)
            {
                entry["appProtocol"] = app;
            }
            ports.Add(entry);
        }
        var name = Json.Name(service);
        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject
            {
                ["name"] = SliceName(service),
                ["namespace"] = Json.Namespace(service),
                ["labels"] = new JsonObject { [ServiceNameLabel] = name, [ManagedByLabel] = ManagedBy },
                ["ownerReferences"] = new JsonArray(Json.OwnerReference("v1", "Service", service)),
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = endpoints,
            ["ports"] = ports,
        };
    }

    /// <summary><c>SERVICE-xxxxx</c>, stable for the Service's uid (one slice per Service: the simulator's Services are small).</summary>
    public static string SliceName(JsonObject service)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var hash = 2166136261u;
        foreach (var c in Json.Uid(service))
        {
            hash = (hash ^ c) * 16777619u;
        }
        var suffix = string.Create(5, hash, (span, h) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[(int)(h % (uint)alphabet.Length)];
                h /= (uint)alphabet.Length;
            }
        });
        var name = Json.Name(service);
        return $"{(name.Length > 57 ? name[..57] : name)}-{suffix}";
    }

    /// <summary>The Service's target port as a number: its targetPort, or its port; a name resolved on the first pod that has it.</summary>
    private static int? TargetPort(JsonObject port, IReadOnlyList<JsonObject> pods)
    {
        var target = Json.At(port, "targetPort");
        if (target is JsonValue v && v.TryGetValue<int>(out var number))
        {
            return number;
        }
        if (target is JsonValue s && s.TryGetValue<string>(out var text) && text.Length > 0)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
            foreach (var pod in pods)
            {
                foreach (var container in (Json.At(pod, "spec", "containers") as JsonArray ?? []).OfType<JsonObject>())
                {
                    foreach (var cp in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        if (Json.Str(cp, "name") == text && Json.Long(cp, "containerPort") is { } resolved)
                        {
                            return (int)resolved;
                        }
                    }
                }
            }
            return null;
        }
        return Json.Long(port, "port") is { } p ? (int)p : null;
    }
}
