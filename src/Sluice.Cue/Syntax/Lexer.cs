using System.Globalization;
using System.Text;

namespace Sluice.Cue.Syntax;

/// <summary>
/// Splits CUE text into tokens. Like Go and CUE, a newline after a token that can end a
/// declaration becomes a comma. Whole-line comments attach to the next token.
/// </summary>
internal sealed class Lexer
{
    private readonly SourceText _source;
    private readonly string _text;
    private readonly int _end;
    private readonly List<Token> _tokens = [];
    private readonly List<string> _pendingComments = [];
    private int _pos;
    private bool _lineHasToken;

    public Lexer(SourceText source, int start, int end)
    {
        _source = source;
        _text = source.Text;
        _pos = start;
        _end = end;
    }

    public static List<Token> Tokenize(SourceText source) => new Lexer(source, 0, source.Text.Length).Run();

    public List<Token> Run()
    {
        while (true)
        {
            SkipSpaceAndComments();
            if (_pos >= _end)
            {
                AutoComma(_end);
                _tokens.Add(new Token(TokenKind.Eof, "", _end, _source.PositionOf(_end)));
                return _tokens;
            }
            LexToken();
        }
    }

    private void SkipSpaceAndComments()
    {
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                AutoComma(_pos);
                _lineHasToken = false;
                _pos++;
            }
            else if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                var start = _pos;
                while (_pos < _end && _text[_pos] != '\n')
                {
                    _pos++;
                }
                if (!_lineHasToken)
                {
                    _pendingComments.Add(_text[(start + 2).._pos].Trim());
                }
            }
            else
            {
                return;
            }
        }
    }

    private void AutoComma(int offset)
    {
        if (_tokens.Count == 0)
        {
            return;
        }
        var last = _tokens[^1].Kind;
        if (last is TokenKind.Ident or TokenKind.Int or TokenKind.Float or TokenKind.String or TokenKind.Bottom
            or TokenKind.RBrace or TokenKind.RBrack or TokenKind.RParen or TokenKind.True or TokenKind.False
            or TokenKind.Null or TokenKind.Ellipsis)
        {
            _tokens.Add(new Token(TokenKind.Comma, "\n", offset, _source.PositionOf(offset)));
        }
    }

    private char Peek(int ahead) => _pos + ahead < _end ? _text[_pos + ahead] : '\0';

    private void Add(TokenKind kind, int start, IReadOnlyList<StringPart>? parts = null, string? text = null)
    {
        IReadOnlyList<string>? comments = null;
        if (_pendingComments.Count > 0)
        {
            comments = [.. _pendingComments];
            _pendingComments.Clear();
        }
        _tokens.Add(new Token(kind, text ?? _text[start.._pos], start, _source.PositionOf(start), parts, comments));
        _lineHasToken = true;
    }

    private ParseException Error(string message, int offset) => new(message, _source.PositionOf(offset));

    private void LexToken()
    {
        var start = _pos;
        var c = _text[_pos];
        if (c == '_' && Peek(1) == '|' && Peek(2) == '_')
        {
            _pos += 3;
            Add(TokenKind.Bottom, start);
            return;
        }
        if (IsIdentStart(c) || (c == '#' && IsIdentStart(Peek(1))))
        {
            _pos++;
            while (_pos < _end && IsIdentPart(_text[_pos]))
            {
                _pos++;
            }
            var word = _text[start.._pos];
            var kind = word switch
            {
                "if" => TokenKind.If,
                "for" => TokenKind.For,
                "in" => TokenKind.In,
                "let" => TokenKind.Let,
                "true" => TokenKind.True,
                "false" => TokenKind.False,
                "null" => TokenKind.Null,
                "package" => TokenKind.Package,
                "import" => TokenKind.Import,
                _ => TokenKind.Ident,
            };
            Add(kind, start);
            return;
        }
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
        {
            LexNumber(start);
            return;
        }
        if (c == '"')
        {
            LexString(start);
            return;
        }
        var (op, length) = c switch
        {
            '{' => (TokenKind.LBrace, 1),
            '}' => (TokenKind.RBrace, 1),
            '[' => (TokenKind.LBrack, 1),
            ']' => (TokenKind.RBrack, 1),
            '(' => (TokenKind.LParen, 1),
            ')' => (TokenKind.RParen, 1),
            ':' => (TokenKind.Colon, 1),
            ',' => (TokenKind.Comma, 1),
            '.' when Peek(1) == '.' && Peek(2) == '.' => (TokenKind.Ellipsis, 3),
            '.' => (TokenKind.Dot, 1),
            '?' => (TokenKind.Question, 1),
            '!' when Peek(1) == '=' => (TokenKind.NotEq, 2),
            '!' when Peek(1) == '~' => (TokenKind.NotMatch, 2),
            '!' => (TokenKind.Not, 1),
            '=' when Peek(1) == '=' => (TokenKind.Eq, 2),
            '=' when Peek(1) == '~' => (TokenKind.Match, 2),
            '=' => (TokenKind.Assign, 1),
            '+' => (TokenKind.Plus, 1),
            '-' => (TokenKind.Minus, 1),
            '*' => (TokenKind.Star, 1),
            '/' => (TokenKind.Slash, 1),
            '&' when Peek(1) == '&' => (TokenKind.AndAnd, 2),
            '&' => (TokenKind.Amp, 1),
            '|' when Peek(1) == '|' => (TokenKind.OrOr, 2),
            '|' => (TokenKind.Pipe, 1),
            '<' when Peek(1) == '=' => (TokenKind.LessEq, 2),
            '<' => (TokenKind.Less, 1),
            '>' when Peek(1) == '=' => (TokenKind.GreaterEq, 2),
            '>' => (TokenKind.Greater, 1),
            _ => (TokenKind.Eof, 0),
        };
        if (length == 0)
        {
            throw Error($"unexpected character '{c}'", start);
        }
        _pos += length;
        Add(op, start);
    }

    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    private static bool IsIdentPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    private void LexNumber(int start)
    {
        var isFloat = false;
        if (_text[_pos] == '0' && Peek(1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            _pos += 2;
            while (_pos < _end && (char.IsAsciiHexDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }
        }
        else
        {
            while (_pos < _end && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }
            if (_pos < _end && _text[_pos] == '.' && Peek(1) != '.')
            {
                isFloat = true;
                _pos++;
                while (_pos < _end && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_'))
                {
                    _pos++;
                }
            }
            if (_pos < _end && _text[_pos] is 'e' or 'E')
            {
                isFloat = true;
                _pos++;
                if (_pos < _end && _text[_pos] is '+' or '-')
                {
                    _pos++;
                }
                if (_pos >= _end || !char.IsAsciiDigit(_text[_pos]))
                {
                    throw Error("malformed number exponent", start);
                }
                while (_pos < _end && char.IsAsciiDigit(_text[_pos]))
                {
                    _pos++;
                }
            }
        }
        if (_pos < _end && IsIdentPart(_text[_pos]))
        {
            throw Error($"malformed number '{_text[start..(_pos + 1)]}'", start);
        }
        Add(isFloat ? TokenKind.Float : TokenKind.Int, start);
    }

    private void LexString(int start)
    {
        var multiline = Peek(1) == '"' && Peek(2) == '"';
        var parts = new List<StringPart>();
        var literal = new StringBuilder();
        string indent = "";
        if (multiline)
        {
            _pos += 3;
            while (_pos < _end && _text[_pos] is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            if (_pos >= _end || _text[_pos] != '\n')
            {
                throw Error("a multi-line string must start with a newline after \"\"\"", start);
            }
            _pos++;
            indent = ClosingIndent(start);
            SkipIndent(indent);
        }
        else
        {
            _pos++;
        }
        while (true)
        {
            if (_pos >= _end)
            {
                throw Error("string literal not terminated", start);
            }
            var c = _text[_pos];
            if (multiline && c == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                if (literal.Length > 0 && literal[^1] == '\n')
                {
                    literal.Length--;
                }
                _pos += 3;
                break;
            }
            if (!multiline && c == '"')
            {
                _pos++;
                break;
            }
            if (!multiline && c == '\n')
            {
                throw Error("string literal not terminated", start);
            }
            if (c == '\\')
            {
                LexEscape(literal, parts);
                continue;
            }
            literal.Append(c);
            _pos++;
            if (multiline && c == '\n')
            {
                SkipIndent(indent);
            }
        }
        parts.Add(new StringPart(literal.ToString(), 0, 0));
        Add(TokenKind.String, start, parts);
    }

    private string ClosingIndent(int start)
    {
        var close = _text.IndexOf("\"\"\"", _pos, _end - _pos, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error("multi-line string not terminated", start);
        }
        var lineStart = close;
        while (lineStart > 0 && _text[lineStart - 1] is ' ' or '\t')
        {
            lineStart--;
        }
        return lineStart > 0 && _text[lineStart - 1] == '\n' ? _text[lineStart..close] : "";
    }

    private void SkipIndent(string indent)
    {
        if (indent.Length > 0 && _pos + indent.Length <= _end
            && string.CompareOrdinal(_text, _pos, indent, 0, indent.Length) == 0)
        {
            _pos += indent.Length;
        }
    }

    private void LexEscape(StringBuilder literal, List<StringPart> parts)
    {
        var escapeStart = _pos;
        var e = Peek(1);
        _pos += 2;
        switch (e)
        {
            case 'n': literal.Append('\n'); break;
            case 't': literal.Append('\t'); break;
            case 'r': literal.Append('\r'); break;
            case 'a': literal.Append('\a'); break;
            case 'b': literal.Append('\b'); break;
            case 'f': literal.Append('\f'); break;
            case 'v': literal.Append('\v'); break;
            case '\\': literal.Append('\\'); break;
            case '"': literal.Append('"'); break;
            case '\'': literal.Append('\''); break;
            case '/': literal.Append('/'); break;
            case 'u':
            case 'U':
                var digits = e == 'u' ? 4 : 8;
                if (_pos + digits > _end
                    || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)
                    || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                {
                    throw Error("invalid unicode escape", escapeStart);
                }
                literal.Append(char.ConvertFromUtf32(code));
                _pos += digits;
                break;
            case '(':
                parts.Add(new StringPart(literal.ToString(), 0, 0));
                literal.Clear();
                var exprStart = _pos;
                var exprEnd = FindInterpolationEnd(escapeStart);
                parts.Add(new StringPart(null, exprStart, exprEnd));
                _pos = exprEnd + 1;
                break;
            default:
                throw Error($"unknown escape sequence '\\{e}'", escapeStart);
        }
    }

    private int FindInterpolationEnd(int escapeStart)
    {
        var depth = 0;
        var i = _pos;
        while (i < _end)
        {
            var c = _text[i];
            if (c == '\n')
            {
                break;
            }
            if (c == '"')
            {
                i++;
                while (i < _end && _text[i] != '"' && _text[i] != '\n')
                {
                    i += _text[i] == '\\' ? 2 : 1;
                }
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                if (depth == 0)
                {
                    return i;
                }
                depth--;
            }
            i++;
        }
        throw Error("interpolation not terminated", escapeStart);
    }
}
