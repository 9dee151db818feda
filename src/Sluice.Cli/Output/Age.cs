using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Cli.Output;

/// <summary>kubectl-style ages: 45s, 12m, 3h, 5d; "&lt;unknown&gt;" without a timestamp.</summary>
internal static class Age
{
    public static string Of(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Format(now - at)
            : "<unknown>";

    public static string Of(DateTimeOffset? at, DateTimeOffset now) => at is { } t ? Format(now - t) : "<unknown>";

    public static string Format(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
