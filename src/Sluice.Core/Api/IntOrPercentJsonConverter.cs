using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>Reads a JSON number as an int and a JSON string as a percent such as "20%"; writes the form it read.</summary>
public sealed class IntOrPercentJsonConverter : JsonConverter<IntOrPercent>
{
    public override IntOrPercent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt32(out var number))
                {
                    return IntOrPercent.FromInt(number);
                }

                throw new JsonException($"invalid value {Raw(ref reader)}: want an integer or a percent such as \"20%\"");
            case JsonTokenType.String:
                var text = reader.GetString();
                if (text is not null && text.EndsWith('%') && IntOrPercent.TryParse(text, out var percent))
                {
                    return percent!;
                }

                throw new JsonException($"invalid value \"{text}\": want an integer or a percent such as \"20%\"");
            default:
                throw new JsonException($"invalid value {Raw(ref reader)}: want an integer or a percent such as \"20%\"");
        }
    }

    public override void Write(Utf8JsonWriter writer, IntOrPercent value, JsonSerializerOptions options)
    {
        if (value.IsPercent)
        {
            writer.WriteStringValue(value.ToString());
        }
        else
        {
            writer.WriteNumberValue(value.Value);
        }
    }

    private static string Raw(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            _ => reader.TokenType.ToString(),
        };
}
