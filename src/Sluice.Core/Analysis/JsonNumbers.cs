using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Core.Analysis;

/// <summary>Numbers in JSON values whatever they were created from (a parsed document, a long, a double).</summary>
public static class JsonNumbers
{
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
