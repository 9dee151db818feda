using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>Reads a JSON number or string into a <see cref="NumberOrString"/>; writes the form it read.</summary>
public sealed class NumberOrStringJsonConverter : JsonConverter<NumberOrString>
{
    public override NumberOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => NumberOrString.FromJsonNumber(Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray())),
            JsonTokenType.String => NumberOrString.FromString(reader.GetString()!),
            _ => throw new JsonException($"invalid value: want a number or a string, found {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, NumberOrString value, JsonSerializerOptions options)
    {
        if (value.IsString)
        {
            writer.WriteStringValue(value.Text);
        }
        else
        {
            writer.WriteRawValue(value.Text);
        }
    }
}
