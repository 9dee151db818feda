using System.Text;

namespace Sluice.Controllers.Traffic;

/// <summary>
/// Regular expressions the routers write for conditions their APIs lack a native form for: a header prefix (Gateway API
/// has only Exact and RegularExpression) and a cookie (a condition on the Cookie header). Written in the syntax RE2,
/// PCRE and .NET share, anchored, so that a full-string match (Envoy) and a search (NGINX) agree.
/// </summary>
public static class MatchPatterns
{
    /// <summary><c>^</c>, the prefix with its metacharacters escaped, then <c>.*</c>. Example: "v1.2" is <c>^v1\.2.*</c>.</summary>
    public static string Prefix(string prefix) => "^" + Escape(prefix) + ".*";

    /// <summary>
    /// The Cookie header carries the cookie <paramref name="name"/> with exactly <paramref name="value"/>, wherever it is in
    /// the list. Example: beta=always is <c>^(.*;\s*)?beta=always(;.*)?$</c>: matches "beta=always" and "a=1; beta=always; b=2",
    /// not "xbeta=always" nor "beta=alwaysx".
    /// </summary>
    public static string Cookie(string name, string value) => @"^(.*;\s*)?" + Escape(name) + "=" + Escape(value) + "(;.*)?$";

    /// <summary>Escapes the metacharacters RE2 and PCRE share.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
