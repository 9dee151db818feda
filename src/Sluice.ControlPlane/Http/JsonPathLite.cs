using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Http;

/// <summary>The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0].b</c>, <c>.a['x.y']</c>, optionally in braces.</summary>
internal static class JsonPathLite
{
    public static JsonNode? Evaluate(JsonNode root, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }
        if (p.StartsWith('$'))
        {
            p = p[1..];
        }
        JsonNode? node = root;
        var i = 0;
        while (i < p.Length && node is not null)
        {
            if (p[i] == '.')
            {
                var end = i + 1;
                while (end < p.Length && p[end] != '.' && p[end] != '[')
                {
                    end++;
                }
                node = node is JsonObject o ? o[p[(i + 1)..end]] : null;
                i = end;
            }
            else if (p[i] == '[')
            {
                var end = p.IndexOf(']', i);
                if (end < 0)
                {
                    return null;
                }
                var inner = p[(i + 1)..end].Trim('\'', '"');
                node = node switch
                {
                    JsonArray a when int.TryParse(inner, out var index) => index >= 0 && index < a.Count ? a[index] : null,
                    JsonObject o => o[inner],
                    _ => null,
                };
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return node;
    }
}
