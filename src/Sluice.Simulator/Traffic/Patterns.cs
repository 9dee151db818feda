using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Sluice.Simulator.Traffic;

/// <summary>Regular expressions of routes, compiled once; a pattern that does not compile matches nothing.</summary>
internal static class Patterns
{
    private static readonly ConcurrentDictionary<string, Regex?> Cache = new(StringComparer.Ordinal);

    /// <summary>The pattern occurs in the text (NGINX, Gateway API headers: written anchored when they mean the whole value).</summary>
    public static bool Search(string pattern, string text) => Get(pattern)?.IsMatch(text) == true;

    /// <summary>The pattern matches the whole text (Envoy's RE2 full match, Gateway API paths).</summary>
    public static bool Full(string pattern, string text) => Get("^(?:" + pattern + ")$")?.IsMatch(text) == true;

    /// <summary>Path prefix by element, as Gateway API and Ingress match: "/api" matches "/api" and "/api/x", not "/apis".</summary>
    public static bool PathPrefix(string prefix, string path)
    {
        var trimmed = prefix.TrimEnd('/');
        return trimmed.Length == 0 || path == trimmed || path.StartsWith(trimmed + "/", StringComparison.Ordinal);
    }

    /// <summary>A host name against a route's host, which may be a wildcard ("*.example.com").</summary>
    public static bool Host(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);

    private static Regex? Get(string pattern) =>
        Cache.GetOrAdd(pattern, p =>
        {
            try
            {
                return new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
}
