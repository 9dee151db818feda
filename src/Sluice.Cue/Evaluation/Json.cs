using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Cue.Evaluation;

/// <summary>JSON text as CUE's <c>encoding/json</c> writes it: compact, fields in order, <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> escaped (Go's encoder).</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Marshal(JsonNode? node)
    {
        var text = node?.ToJsonString(Compact) ?? "null";
        return text.Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);
    }

    public static string Indent(JsonNode? node, string prefix, string indent)
    {
        var b = new StringBuilder();
        Write(b, node, prefix, indent, 0);
        return b.ToString();
    }

    private static void Write(StringBuilder b, JsonNode? node, string prefix, string indent, int depth)
    {
        string Line(int d) => "\n" + prefix + string.Concat(Enumerable.Repeat(indent, d));
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                b.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    b.Append(first ? "" : ",").Append(Line(depth + 1)).Append(Marshal(JsonValue.Create(key))).Append(": ");
                    Write(b, value, prefix, indent, depth + 1);
                    first = false;
                }
                b.Append(Line(depth)).Append('}');
                break;
            case JsonArray a when a.Count > 0:
                b.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    b.Append(i == 0 ? "" : ",").Append(Line(depth + 1));
                    Write(b, a[i], prefix, indent, depth + 1);
                }
                b.Append(Line(depth)).Append(']');
                break;
            default:
                b.Append(Marshal(node));
                break;
        }
    }

    public static bool Valid(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string? Unquote(string quoted)
    {
        try
        {
            return JsonSerializer.Deserialize<string>(quoted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
