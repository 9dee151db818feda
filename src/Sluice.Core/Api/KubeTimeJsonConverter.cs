using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// Kubernetes' <c>metav1.Time</c> on the wire: RFC 3339 in UTC to the second (<c>2026-12-03T17:38:30Z</c>), as
/// kube-apiserver writes <c>lastTransitionTime</c>. Reads any ISO 8601 form, so statuses written before this keep parsing.
/// </summary>
public sealed class KubeTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new JsonException($"Invalid value: \"{text}\": not a time (RFC 3339, e.g. 2026-12-03T17:38:30Z)");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Truncate(value).ToString(Format, CultureInfo.InvariantCulture));

    /// <summary>The instant as it round-trips through the API: UTC, whole seconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
