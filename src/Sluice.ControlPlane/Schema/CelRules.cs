using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cel;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Schema;

/// <summary>
/// CRD validation rules (<c>x-kubernetes-validations</c>) evaluated with CEL, as kube-apiserver does: at every schema
/// node that declares rules, each <c>rule</c> sees the node's value as <c>self</c> and, on an update, its previous value
/// as <c>oldSelf</c> (a rule naming <c>oldSelf</c> is a transition rule: checked only on updates where the old value
/// exists, and, inside lists, only in lists keyed by <c>x-kubernetes-list-type: map</c>). A rule that is false fails with
/// its <c>message</c> (or <c>messageExpression</c>, or <c>failed rule: RULE</c>) at the node's path (or its
/// <c>fieldPath</c>), with its <c>reason</c> (FieldValueInvalid by default). Rules are compiled once (a CRD with a rule
/// that does not compile is refused); objects become CEL maps, lists, strings, ints, doubles and bools.
/// </summary>
internal static class CelRules
{
    private static readonly CelEnvironment Environment = new(null, null);
    private static readonly ConcurrentDictionary<string, CelProgramDelegate> Programs = new(StringComparer.Ordinal);

    /// <summary>The problems with the rules of a schema (compile errors), as causes naming the rule's place in the CRD.</summary>
    public static List<StatusCause> Check(JsonObject schema, string path)
    {
        var causes = new List<StatusCause>();
        Walk(schema, path);
        return causes;

        void Walk(JsonObject node, string at)
        {
            var i = 0;
            foreach (var rule in (node["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var text = Str(rule["rule"]);
                var field = $"{at}.x-kubernetes-validations[{i++}].rule";
                if (text.Length == 0)
                {
                    causes.Add(new StatusCause("FieldValueRequired", "Required value", field));
                    continue;
                }
                try
                {
                    Compile(text);
                }
                catch (Exception e) when (e is CelException or InvalidOperationException or ArgumentException)
                {
                    causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: \"{text}\": compilation failed: {e.Message}", field));
                }
            }
            foreach (var (name, child) in node["properties"] as JsonObject ?? [])
            {
                if (child is JsonObject c)
                {
                    Walk(c, $"{at}.properties[{name}]");
                }
            }
            if (node["items"] is JsonObject items)
            {
                Walk(items, $"{at}.items");
            }
            if (node["additionalProperties"] is JsonObject additional)
            {
                Walk(additional, $"{at}.additionalProperties");
            }
        }
    }

    /// <summary>Evaluates every rule of <paramref name="schema"/> against <paramref name="value"/> (and <paramref name="old"/> on updates).</summary>
    public static void Validate(JsonObject schema, JsonNode? value, JsonNode? old, bool hasOld, string path, List<StatusCause> errors)
    {
        if (value is null)
        {
            return;
        }
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Evaluate(schema, rule, value, old, hasOld, path, errors);
        }
        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (key, child) in obj)
                {
                    if (properties[key] is JsonObject childSchema && (key is not ("apiVersion" or "kind" or "metadata") || path.Length > 0))
                    {
                        Validate(childSchema, child, old?[key], hasOld && old?[key] is not null, Join(path, key), errors);
                    }
                }
                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (key, child) in map)
                {
                    Validate(valueSchema, child, old?[key], hasOld && old?[key] is not null, $"{path}[{key}]", errors);
                }
                break;
            case JsonArray list when schema["items"] is JsonObject itemSchema:
                var keys = Str(schema["x-kubernetes-list-type"]) == "map"
                    ? (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(Str).ToList()
                    : null;
                for (var i = 0; i < list.Count; i++)
                {
                    var oldItem = keys is { Count: > 0 } && old is JsonArray oldList
                        ? oldList.FirstOrDefault(o => keys.All(k => JsonNode.DeepEquals(o?[k], list[i]?[k])))
                        : null;
                    Validate(itemSchema, list[i], oldItem, oldItem is not null, $"{path}[{i}]", errors);
                }
                break;
        }
    }

    private static void Evaluate(JsonObject schema, JsonObject rule, JsonNode value, JsonNode? old, bool hasOld, string path, List<StatusCause> errors)
    {
        var text = Str(rule["rule"]);
        var transition = text.Contains("oldSelf", StringComparison.Ordinal);
        if (text.Length == 0 || (transition && !hasOld))
        {
            return;
        }
        var variables = new Dictionary<string, object?> { ["self"] = ToCel(value) };
        if (transition)
        {
            variables["oldSelf"] = ToCel(old);
        }
        var field = Str(rule["fieldPath"]) is { Length: > 0 } fieldPath ? path + (fieldPath.StartsWith('.') || fieldPath.StartsWith('[') ? fieldPath : "." + fieldPath) : path;
        var typeName = Str(schema["type"]) is { Length: > 0 } t ? t : "object";
        try
        {
            if (Compile(text)(variables!) is true)
            {
                return;
            }
        }
        catch (Exception e) when (e is CelException or InvalidOperationException or ArgumentException or InvalidCastException)
        {
            errors.Add(new StatusCause("FieldValueInvalid", $"Invalid value: \"{typeName}\": {e.Message} evaluating rule: {text}", field));
            return;
        }
        var message = Str(rule["message"]) is { Length: > 0 } m ? m : $"failed rule: {text}";
        if (Str(rule["messageExpression"]) is { Length: > 0 } expression)
        {
            try
            {
                if (Compile(expression)(variables!) is string computed && computed.Length > 0)
                {
                    message = computed;
                }
            }
            catch (Exception e) when (e is CelException or InvalidOperationException or ArgumentException or InvalidCastException)
            {
                // kube-apiserver falls back to the message when the expression fails.
            }
        }
        var reason = Str(rule["reason"]) is { Length: > 0 } r ? r : "FieldValueInvalid";
        errors.Add(reason switch
        {
            "FieldValueForbidden" => new StatusCause(reason, $"Forbidden: {message}", field),
            "FieldValueRequired" => new StatusCause(reason, $"Required value: {message}", field),
            "FieldValueDuplicate" => new StatusCause(reason, $"Duplicate value: {message}", field),
            _ => new StatusCause("FieldValueInvalid", $"Invalid value: \"{typeName}\": {message}", field),
        });
    }

    private static CelProgramDelegate Compile(string rule) => Programs.GetOrAdd(rule, Environment.Compile);

    /// <summary>A JSON value as CEL sees it: maps, lists, strings, 64-bit ints, doubles, bools, null.</summary>
    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(kv => kv.Key, kv => ToCel(kv.Value)),
        JsonArray list => list.Select(ToCel).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
