namespace Sluice.Controllers.Analysis;

/// <summary>
/// The tokens CEL allows, checked before the Cel package parses: its lexer drops characters it does not know
/// without a word (so <c>result >== 1</c> or <c>result &gt; 1;</c> would compile). Outside string literals and
/// <c>//</c> comments only letters, digits, <c>_</c>, white space and CEL's operators and punctuation may appear:
/// <c>== != &lt; &lt;= &gt; &gt;= &amp;&amp; || ! + - * / % ? : . , [ ] { } ( )</c>.
/// </summary>
internal static class CelLexicalCheck
{
    /// <summary>Null when every character belongs to a CEL token; otherwise what is wrong and at which column (1-based).</summary>
    public static string? Check(string expression)
    {
        var i = 0;
        var s = expression;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c) || char.IsAsciiLetterOrDigit(c) || c == '_' || "+-*/%?:.,[]{}()".Contains(c))
            {
                if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
                {
                    while (i < s.Length && s[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    var end = SkipString(s, i);
                    if (end < 0)
                    {
                        return $"string at column {i + 1} is never closed";
                    }

                    i = end;
                    continue;
                case '=' when Next(s, i) == '=':
                case '!' when Next(s, i) == '=':
                case '&' when Next(s, i) == '&':
                case '|' when Next(s, i) == '|':
                    if (Next(s, i + 1) == '=' || (c is '&' or '|' && Next(s, i + 1) == c))
                    {
                        return $"unexpected \"{s[i + 2]}\" after \"{s.Substring(i, 2)}\" at column {i + 3}";
                    }

                    i += 2;
                    continue;
                case '<' or '>':
                    i += Next(s, i) == '=' ? 2 : 1;
                    if (Next(s, i - 1) == '=')
                    {
                        return $"unexpected \"=\" at column {i + 1}";
                    }

                    continue;
                case '!':
                    i++;
                    continue;
                default:
                    return $"unexpected \"{c}\" at column {i + 1}" + c switch
                    {
                        '=' => ": CEL compares with ==",
                        '&' => ": CEL's and is &&",
                        '|' => ": CEL's or is ||",
                        _ => string.Empty,
                    };
            }
        }

        return null;
    }

    private static char Next(string s, int i) => i + 1 < s.Length ? s[i + 1] : '\0';

    /// <summary>The index after the string literal starting at <paramref name="start"/> (single, double or triple quoted), or -1.</summary>
    private static int SkipString(string s, int start)
    {
        var quote = s[start];
        var triple = start + 2 < s.Length && s[start + 1] == quote && s[start + 2] == quote;
        var i = start + (triple ? 3 : 1);
        while (i < s.Length)
        {
            if (s[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (triple ? (i + 2 < s.Length && s[i] == quote && s[i + 1] == quote && s[i + 2] == quote) : s[i] == quote)
            {
                return i + (triple ? 3 : 1);
            }

            if (!triple && s[i] == '\n')
            {
                return -1;
            }

            i++;
        }

        return -1;
    }
}
