using System.Text.Json.Nodes;

namespace Sluice.Dashboard.Diff;

/// <summary>
/// Takes secret values out of what the dashboard renders: any object of kind Secret (a component may render one) keeps
/// its keys, and each value of its <c>data</c> and <c>stringData</c> becomes "(hidden)". Works on a copy.
/// </summary>
internal static class SecretRedactor
{
    public const string Hidden = "(hidden)";

    public static JsonNode? Redact(JsonNode? node)
    {
        var copy = node?.DeepClone();
        Walk(copy);
        return copy;
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["kind"] is JsonValue kind && kind.TryGetValue<string>(out var k) && k == "Secret")
                {
                    foreach (var field in new[] { "data", "stringData" })
                    {
                        if (obj[field] is JsonObject values)
                        {
                            foreach (var key in values.Select(p => p.Key).ToList())
                            {
                                values[key] = Hidden;
                            }
                        }
                    }
                }

                foreach (var (_, value) in obj)
                {
                    Walk(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item);
                }

                break;
        }
    }
}
