using System.Text;

namespace Sluice.Core.Analysis;

/// <summary>
/// <c>{{name}}</c> placeholders in queries, URLs, headers and bodies (spaces inside the braces allowed). A template
/// is rendered whole or not at all: an unknown name is an error, never an empty string.
/// Example: <c>rate(x{version="{{ targetRevision }}"}[{{interval}}])</c> with targetRevision=app-v2, interval=1m
/// is <c>rate(x{version="app-v2"}[1m])</c>.
/// </summary>
public static class QueryTemplate
{
    /// <summary>The names the template uses, in order (e.g. "namespace", "args.quantile").</summary>
    public static IReadOnlyList<string> Names(string template)
    {
        var names = new List<string>();
        Scan(template, name => { names.Add(name); return string.Empty; }, out _);
        return names;
    }

    /// <summary>The rendered text, or null with <paramref name="error"/> saying which name is unknown or which brace is open.</summary>
    public static string? Render(string template, IReadOnlyDictionary<string, string> values, out string? error)
    {
        string? missing = null;
        var result = Scan(template, name =>
        {
            if (values.TryGetValue(name, out var value))
            {
                return value;
            }

            missing ??= name;
            return string.Empty;
        }, out error);
        if (error is null && missing is not null)
        {
            error = $"unknown variable \"{missing}\" in {{{{{missing}}}}}";
        }

        return error is null ? result : null;
    }

    private static string Scan(string template, Func<string, string> replace, out string? error)
    {
        error = null;
        var text = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"\"{{{{\" at {open} is never closed";
                return text.ToString();
            }

            text.Append(template, i, open - i);
            var name = template[(open + 2)..close].Trim();
            if (name.Length == 0)
            {
                error = $"empty {{{{}}}} at {open}";
                return text.ToString();
            }

            text.Append(replace(name));
            i = close + 2;
        }

        return text.ToString();
    }
}
