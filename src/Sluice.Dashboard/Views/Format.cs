using System.Globalization;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>Small pieces every view writes the same way.</summary>
internal static class Format
{
    /// <summary>kubectl-style ages (45s, 12m, 3h, 5d) in a &lt;time&gt; the page's script keeps current.</summary>
    public static Html Age(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t)
        {
            return Html.Text("unknown");
        }

        var iso = t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return Html.Of($"<time datetime=\"{iso}\" data-age>{AgeText(now - t)}</time>");
    }

    public static Html Age(string? timestamp, DateTimeOffset now) =>
        Age(DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null, now);

    public static string AgeText(TimeSpan age)
    {
        var seconds = Math.Max(0, age.TotalSeconds);
        return seconds < 120 ? $"{(int)seconds}s"
            : seconds < 7200 ? $"{(int)(seconds / 60)}m"
            : seconds < 172800 ? $"{(int)(seconds / 3600)}h"
            : $"{(int)(seconds / 86400)}d";
    }

    /// <summary>The path of a rollout's page.</summary>
    public static string RolloutPath(string ns, string name) => $"/rollouts/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";

    public static string AppPath(string ns, string name) => $"/apps/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";

    /// <summary>A URL without credentials or query (a webhook's query string may carry a token).</summary>
    public static string SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture))}{uri.AbsolutePath}{(uri.Query.Length > 1 ? " (query hidden)" : "")}"
            : "(not a URL)";
}
