using System.Text;

namespace Sluice.Manifests;

/// <summary>
/// Go's YAML (what kubectl and KubeVela use) accepts a double- or single-quoted scalar whose
/// continuation lines are indented no deeper than its key; YamlDotNet rejects them. KubeVela's own
/// definitions are written that way. This re-indents such continuation lines by two spaces, which
/// leaves the value unchanged (line folding drops leading white space).
/// </summary>
internal static class QuotedContinuations
{
    public static string Indent(string text)
    {
        var result = new StringBuilder(text.Length + 64);
        char? quote = null;
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (lineStart && quote is not null)
            {
                result.Append("  ");
            }

            lineStart = false;
            result.Append(c);
            switch (c)
            {
                case '\n':
                    lineStart = true;
                    break;
                case '#' when quote is null && (i == 0 || char.IsWhiteSpace(text[i - 1])):
                    // a comment: copy the rest of the line
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        result.Append(text[++i]);
                    }

                    break;
                case '\\' when quote == '"' && i + 1 < text.Length && text[i + 1] != '\n':
                    result.Append(text[++i]);
                    break;
                case '\'' when quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'':
                    result.Append(text[++i]);
                    break;
                case '"' or '\'' when quote == c:
                    quote = null;
                    break;
                case '"' or '\'' when quote is null && StartsScalar(text, i):
                    quote = c;
                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>A quote opens a scalar only where a value or key may start, not inside a plain scalar.</summary>
    private static bool StartsScalar(string text, int i)
    {
        var j = i - 1;
        while (j >= 0 && text[j] == ' ')
        {
            j--;
        }

        return j < 0 || text[j] is '\n' or ':' or '-' or '[' or '{' or ',' or '?';
    }
}
