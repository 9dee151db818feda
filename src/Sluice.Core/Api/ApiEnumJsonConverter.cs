using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// Enums travel as the exact strings of the API (from <see cref="JsonStringEnumMemberNameAttribute"/>);
/// an unknown string is an error that lists the supported values, as kube-apiserver words it.
/// </summary>
public sealed class ApiEnumJsonConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly (T Value, string Name)[] Members = typeof(T)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => ((T)f.GetValue(null)!, f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name))
        .ToArray();

    /// <summary>The API strings, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Members.Select(m => m.Name).ToArray();

    public static string NameOf(T value) => Members.First(m => EqualityComparer<T>.Default.Equals(m.Value, value)).Name;

    public static bool TryParse(string? text, out T value)
    {
        foreach (var member in Members)
        {
            if (member.Name == text)
            {
                value = member.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Unsupported(string? text) =>
        $"Unsupported value: \"{text}\": supported values: {string.Join(", ", Names.Select(n => $"\"{n}\""))}";

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Invalid value: want a string, one of {string.Join(", ", Names.Select(n => $"\"{n}\""))}");
        }

        return TryParse(text, out var value) ? value : throw new JsonException(Unsupported(text));
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(NameOf(value));
}
