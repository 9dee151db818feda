using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sluice.Manifests;

/// <summary>
/// YAML is only a syntax for JSON here: documents become <see cref="JsonNode"/>s and back.
/// Scalars follow the YAML 1.2 core schema: a plain <c>5</c> is a number, <c>10%</c>, <c>"5"</c> and
/// <c>'true'</c> are strings, <c>true</c>/<c>false</c> booleans, <c>null</c>/<c>~</c>/empty null.
/// </summary>
public static class YamlJson
{
    /// <summary>Parses one document; an empty text gives null.</summary>
    /// <exception cref="ManifestException">The text is not well-formed YAML, or holds several documents.</exception>
    public static JsonNode? Parse(string yaml)
    {
        var documents = ParseAll(yaml);
        return documents.Count switch
        {
            0 => null,
            1 => documents[0],
            _ => throw new ManifestException($"expected one YAML document, found {documents.Count}"),
        };
    }

    /// <summary>Parses every document of a multi-document text, skipping empty ones.</summary>
    /// <exception cref="ManifestException">The text is not well-formed YAML; the message gives line and column.</exception>
    public static IReadOnlyList<JsonNode> ParseAll(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ManifestException($"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {Inner(e).Message}", e);
        }

        var result = new List<JsonNode>();
        foreach (var document in stream.Documents)
        {
            var budget = new NodeBudget();
            var node = Convert(document.RootNode, depth: 0, budget);
            if (node is not null)
            {
                result.Add(node);
            }
        }

        return result;
    }

    /// <summary>Writes a node as block-style YAML, quoting strings that would otherwise read as another type.</summary>
    public static string ToYaml(JsonNode? node)
    {
        var builder = new StringBuilder();
        var emitter = new Emitter(new StringWriter(builder));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return builder.ToString();
    }

    private const int MaxDepth = 256;
    private const int MaxNodes = 1_000_000;

    private sealed class NodeBudget
    {
        public int Used { get; set; }
    }

    private static Exception Inner(Exception e) => e.InnerException is YamlException inner ? Inner(inner) : e;

    private static JsonNode? Convert(YamlNode node, int depth, NodeBudget budget)
    {
        if (++budget.Used > MaxNodes)
        {
            throw new ManifestException($"YAML document expands to more than {MaxNodes} nodes (aliases?)");
        }

        if (depth > MaxDepth)
        {
            throw new ManifestException($"YAML nested deeper than {MaxDepth} levels at line {node.Start.Line}");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new ManifestException($"a mapping key at line {key.Start.Line}, column {key.Start.Column} is not a string");
                    }

                    if (name == "<<")
                    {
                        throw new ManifestException($"YAML merge keys ('<<') are not supported (line {key.Start.Line})");
                    }

                    obj[name] = Convert(value, depth + 1, budget);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, depth + 1, budget));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new ManifestException($"unsupported YAML node at line {node.Start.Line}");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded
            || scalar.Tag == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IsInteger(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when IsFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }

    private static bool IsInteger(string text)
    {
        var start = text[0] is '-' or '+' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFloat(string text)
    {
        // YAML 1.2 core schema: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var i = 0;
        if (text[i] is '-' or '+')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; digits++; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; digits++; }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+')
            {
                i++;
            }

            var exponent = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; exponent++; }
            if (exponent == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        EmitString(emitter, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                    case JsonValueKind.Number:
                        emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                        break;
                    default:
                        emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                        break;
                }

                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        // A string that would read back as another type is quoted; the rest stays plain where YAML allows.
        var reads = Scalar(new YamlScalarNode(text));
        var needsQuotes = reads is null || reads.GetValueKind() != JsonValueKind.String;
        var style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : needsQuotes ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }
}
