using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Schema;

/// <summary>
/// Validates a custom resource against its CRD's structural <c>openAPIV3Schema</c>, with
/// kube-apiserver's field paths and messages: type, required, enum, pattern, minimum/maximum
/// (and exclusive), length and item bounds, <c>x-kubernetes-int-or-string</c>, nullable.
/// <see cref="Prune"/> first drops unknown fields (unless <c>x-kubernetes-preserve-unknown-fields</c>)
/// and fills in defaults, as the apiserver does before validating.
/// </summary>
internal static class SchemaValidator
{
    private static readonly HashSet<string> RootFieldsNotValidated = ["metadata", "apiVersion", "kind"];

    /// <summary>
    /// Structural checks, then (when they pass) the CEL validation rules (<see cref="CelRules"/>), with <paramref name="old"/>
    /// the stored object on an update (for transition rules), null on a create.
    /// </summary>
    public static List<StatusCause> Validate(JsonObject schema, JsonObject obj, JsonObject? old)
    {
        var errors = Validate(schema, obj);
        if (errors.Count == 0)
        {
            CelRules.Validate(schema, obj, old, old is not null, "", errors);
        }
        return errors;
    }

    public static List<StatusCause> Validate(JsonObject schema, JsonObject obj)
    {
        var errors = new List<StatusCause>();
        var properties = schema["properties"] as JsonObject;
        foreach (var required in Strings(schema["required"]))
        {
            if (!RootFieldsNotValidated.Contains(required) && obj[required] is null)
            {
                errors.Add(new StatusCause("FieldValueRequired", "Required value", required));
            }
        }
        foreach (var (key, value) in obj)
        {
            if (RootFieldsNotValidated.Contains(key))
            {
                continue;
            }
            if (properties?[key] is JsonObject child)
            {
                ValidateNode(child, value, key, errors);
            }
        }
        return errors;
    }

    /// <summary>
    /// Drops fields the schema does not know, drops nulls where not nullable, applies defaults.
    /// Returns the paths of the unknown fields it dropped (what <c>fieldValidation=Strict</c> rejects).
    /// </summary>
    public static List<string> Prune(JsonObject schema, JsonObject obj)
    {
        var unknown = new List<string>();
        foreach (var key in obj.Select(kv => kv.Key).ToList())
        {
            if (RootFieldsNotValidated.Contains(key))
            {
                continue;
            }
            PruneField(schema, obj, key, key, unknown);
        }
        ApplyDefaults(schema, obj, root: true);
        return unknown;
    }

    private static void PruneField(JsonObject schema, JsonObject obj, string key, string path, List<string> unknown)
    {
        var properties = schema["properties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        JsonObject? child = properties?[key] as JsonObject;
        if (child is null && schema["additionalProperties"] is JsonObject additional)
        {
            child = additional;
        }
        if (child is null)
        {
            if (!preserve && schema["additionalProperties"] is not JsonValue)
            {
                obj.Remove(key);
                unknown.Add(path);
            }
            return;
        }
        var value = obj[key];
        if (value is null)
        {
            if (child["nullable"]?.GetValue<bool>() != true)
            {
                obj.Remove(key);
            }
            return;
        }
        PruneNode(child, value, path, unknown);
    }

    private static void PruneNode(JsonObject schema, JsonNode node, string path, List<string> unknown)
    {
        switch (node)
        {
            case JsonObject o:
                if (schema["properties"] is null && schema["additionalProperties"] is null)
                {
                    return;
                }
                foreach (var key in o.Select(kv => kv.Key).ToList())
                {
                    PruneField(schema, o, key, $"{path}.{key}", unknown);
                }
                ApplyDefaults(schema, o, root: false);
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } item)
                    {
                        PruneNode(items, item, $"{path}[{i}]", unknown);
                    }
                }
                break;
        }
    }

    private static void ApplyDefaults(JsonObject schema, JsonObject obj, bool root)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }
        foreach (var (key, child) in properties)
        {
            if ((root && RootFieldsNotValidated.Contains(key)) || obj.ContainsKey(key))
            {
                continue;
            }
            if (child?["default"] is { } value)
            {
                obj[key] = value.DeepClone();
            }
        }
    }

    private static void ValidateNode(JsonObject schema, JsonNode? node, string path, List<StatusCause> errors)
    {
        if (node is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && TypeOf(schema) is { } expected)
            {
                errors.Add(TypeError(path, "null", expected));
            }
            return;
        }
        var actual = JsonType(node);
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(TypeError(path, actual, "integer,string"));
                return;
            }
        }
        else if (TypeOf(schema) is { } type && !(type == actual || (type == "number" && actual == "integer")))
        {
            errors.Add(TypeError(path, actual, type));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var supported = string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"));
            errors.Add(new StatusCause("FieldValueNotSupported",
                $"Unsupported value: {node.ToJsonString()}: supported values: {supported}", path));
        }

        switch (node)
        {
            case JsonObject obj:
                ValidateObject(schema, obj, path, errors);
                break;
            case JsonArray array:
                ValidateArray(schema, array, path, errors);
                break;
            case JsonValue value when actual == "string":
                ValidateString(schema, value.GetValue<string>(), path, errors);
                break;
            case JsonValue value when actual is "integer" or "number":
                ValidateNumber(schema, value, path, errors);
                break;
        }
    }

    private static void ValidateObject(JsonObject schema, JsonObject obj, string path, List<StatusCause> errors)
    {
        foreach (var required in Strings(schema["required"]))
        {
            if (obj[required] is null)
            {
                errors.Add(new StatusCause("FieldValueRequired", "Required value", $"{path}.{required}"));
            }
        }
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (key, value) in obj)
        {
            var child = properties?[key] as JsonObject ?? additional;
            if (child is not null)
            {
                ValidateNode(child, value, $"{path}.{key}", errors);
            }
        }
        Count(schema, obj.Count, "minProperties", "maxProperties", "properties", path, errors);
    }

    private static void ValidateArray(JsonObject schema, JsonArray array, string path, List<StatusCause> errors)
    {
        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateNode(items, array[i], $"{path}[{i}]", errors);
            }
        }
        Count(schema, array.Count, "minItems", "maxItems", "items", path, errors);
    }

    private static void Count(JsonObject schema, int count, string minKey, string maxKey, string noun, string path, List<StatusCause> errors)
    {
        if (schema[minKey] is JsonValue min && count < min.GetValue<long>())
        {
            errors.Add(Invalid(path, count.ToString(CultureInfo.InvariantCulture), $"should have at least {min.ToJsonString()} {noun}"));
        }
        if (schema[maxKey] is JsonValue max && count > max.GetValue<long>())
        {
            errors.Add(Invalid(path, count.ToString(CultureInfo.InvariantCulture), $"should have at most {max.ToJsonString()} {noun}"));
        }
    }

    private static void ValidateString(JsonObject schema, string value, string path, List<StatusCause> errors)
    {
        var shown = JsonSerializer.Serialize(value);
        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Matches(pattern, value))
        {
            errors.Add(Invalid(path, shown, $"should match '{pattern}'"));
        }
        if (schema["minLength"] is JsonValue min && value.Length < min.GetValue<long>())
        {
            errors.Add(Invalid(path, shown, $"should be at least {min.ToJsonString()} chars long"));
        }
        if (schema["maxLength"] is JsonValue max && value.Length > max.GetValue<long>())
        {
            errors.Add(Invalid(path, shown, $"should be at most {max.ToJsonString()} chars long"));
        }
    }

    private static void ValidateNumber(JsonObject schema, JsonValue value, string path, List<StatusCause> errors)
    {
        var number = value.GetValue<double>();
        var shown = value.ToJsonString();
        if (schema["minimum"] is JsonValue min)
        {
            var exclusive = schema["exclusiveMinimum"]?.GetValue<bool>() == true;
            if (exclusive ? number <= min.GetValue<double>() : number < min.GetValue<double>())
            {
                errors.Add(Invalid(path, shown, $"should be greater than {(exclusive ? "" : "or equal to ")}{min.ToJsonString()}"));
            }
        }
        if (schema["maximum"] is JsonValue max)
        {
            var exclusive = schema["exclusiveMaximum"]?.GetValue<bool>() == true;
            if (exclusive ? number >= max.GetValue<double>() : number > max.GetValue<double>())
            {
                errors.Add(Invalid(path, shown, $"should be less than {(exclusive ? "" : "or equal to ")}{max.ToJsonString()}"));
            }
        }
    }

    private static StatusCause Invalid(string path, string shown, string rule) =>
        new("FieldValueInvalid", $"Invalid value: {shown}: {path} in body {rule}", path);

    private static StatusCause TypeError(string path, string actual, string expected) =>
        new("FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {path} in body must be of type {expected}: \"{actual}\"", path);

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static string? TypeOf(JsonObject schema) => schema["type"]?.GetValue<string>();

    internal static string JsonType(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static bool IsInteger(JsonValue v) =>
        v.TryGetValue<long>(out _) || (v.TryGetValue<double>(out var d) && Math.Floor(d) == d && !double.IsInfinity(d));

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0);
}
