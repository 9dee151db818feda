using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>The one JSON shape of the API: camelCase names, absent fields omitted, enums as API strings.</summary>
public static class SluiceJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    public static T Deserialize<T>(JsonNode node) =>
        node.Deserialize<T>(Options) ?? throw new JsonException($"expected a {typeof(T).Name}, found null");

    public static JsonNode ToNode<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options) ?? throw new JsonException("serialized to null");

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? Indented : Options);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            RespectNullableAnnotations = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
