using System.Globalization;

namespace Sluice.Cue.Syntax;

/// <summary>
/// Recursive-descent parser for the CUE subset. Throws <see cref="ParseException"/> (with line
/// and column) internally; <see cref="CueParser"/> turns that into a value.
/// </summary>
internal sealed class Parser
{
    /// <summary>Deepest nesting of expressions and structs accepted, so hostile input cannot overflow the stack.</summary>
    public const int MaxDepth = 100;

    private readonly SourceText _source;
    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    private Parser(SourceText source, List<Token> tokens, int depth)
    {
        _source = source;
        _tokens = tokens;
        _depth = depth;
    }

    public static CueFile ParseFile(string text)
    {
        var source = new SourceText(text);
        return new Parser(source, Lexer.Tokenize(source), 0).File();
    }

    private Token Current => _tokens[_index];

    private Token PeekToken(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Next() => _tokens[_index < _tokens.Count - 1 ? _index++ : _index];

    private bool At(TokenKind kind) => Current.Kind == kind;

    private ParseException Error(string message, Token token) => new(message, token.Position);

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.Eof => "end of input",
        TokenKind.Comma when token.Text == "\n" => "newline",
        _ => $"'{token.Text}'",
    };

    private Token Expect(TokenKind kind, string what)
    {
        if (!At(kind))
        {
            throw Error($"expected {what}, found {Describe(Current)}", Current);
        }
        return Next();
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nesting deeper than {MaxDepth} levels", Current);
        }
    }

    private void Leave() => _depth--;

    private CueFile File()
    {
        var pos = Current.Position;
        SkipCommas();
        var imports = new List<ImportSpec>();
        if (At(TokenKind.Package))
        {
            Next();
            Expect(TokenKind.Ident, "package name");
            SkipCommas();
        }
        while (At(TokenKind.Import))
        {
            Next();
            if (At(TokenKind.LParen))
            {
                Next();
                SkipCommas();
                while (At(TokenKind.String) || At(TokenKind.Ident))
                {
                    imports.Add(Import());
                    SkipCommas();
                }
                Expect(TokenKind.RParen, "')' or an import path");
            }
            else
            {
                imports.Add(Import());
            }
            SkipCommas();
        }
        var decls = Decls(TokenKind.Eof);
        return new CueFile(pos, new StructLit(pos, decls), imports);
    }

    /// <summary><c>"path"</c> or <c>alias "path"</c>.</summary>
    private ImportSpec Import()
    {
        var start = Current;
        string? alias = null;
        if (At(TokenKind.Ident))
        {
            alias = Next().Text;
        }
        var path = PlainString(Expect(TokenKind.String, "import path"));
        if (path.Length == 0)
        {
            throw Error("empty import path", start);
        }
        return new ImportSpec(start.Position, alias, path);
    }

    private string PlainString(Token token)
    {
        if (token.Parts is not { Count: 1 } parts || parts[0].Literal is null)
        {
            throw Error("expected a plain string", token);
        }
        return parts[0].Literal!;
    }

    private void SkipCommas()
    {
        while (At(TokenKind.Comma))
        {
            Next();
        }
    }

    private List<Decl> Decls(TokenKind end)
    {
        var decls = new List<Decl>();
        SkipCommas();
        while (!At(end))
        {
            if (At(TokenKind.Eof))
            {
                throw Error($"expected '}}', found {Describe(Current)}", Current);
            }
            decls.Add(Decl());
            if (At(end))
            {
                break;
            }
            if (!At(TokenKind.Comma))
            {
                throw Error($"expected ',' or newline after declaration, found {Describe(Current)}", Current);
            }
            SkipCommas();
        }
        return decls;
    }

    private Decl Decl()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Let:
                Next();
                var name = Expect(TokenKind.Ident, "identifier after 'let'").Text;
                Expect(TokenKind.Assign, "'='");
                return new LetDecl(token.Position, name, Expr());
            case TokenKind.If:
            case TokenKind.For:
                return Comprehension();
            case TokenKind.Ellipsis:
                Next();
                if (!At(TokenKind.Comma) && !At(TokenKind.RBrace) && !At(TokenKind.Eof))
                {
                    Expr();
                }
                return new EllipsisDecl(token.Position);
        }
        if (IsFieldStart())
        {
            return Field();
        }
        return new EmbedDecl(token.Position, Expr());
    }

    private bool IsLabelToken(Token token) =>
        token.Kind is TokenKind.Ident or TokenKind.True or TokenKind.False or TokenKind.Null
            or TokenKind.In or TokenKind.Package or TokenKind.Import
        || (token.Kind == TokenKind.String && token.Parts is { Count: 1 });

    private bool IsFieldStart()
    {
        if (IsLabelToken(Current) || At(TokenKind.String))
        {
            var next = PeekToken(1).Kind;
            return next == TokenKind.Colon
                || (next is TokenKind.Question or TokenKind.Not && PeekToken(2).Kind == TokenKind.Colon);
        }
        if (At(TokenKind.LBrack))
        {
            var depth = 0;
            for (var i = _index; i < _tokens.Count; i++)
            {
                var kind = _tokens[i].Kind;
                if (kind is TokenKind.LBrack or TokenKind.LBrace or TokenKind.LParen)
                {
                    depth++;
                }
                else if (kind is TokenKind.RBrack or TokenKind.RBrace or TokenKind.RParen)
                {
                    depth--;
                    if (depth == 0)
                    {
                        return kind == TokenKind.RBrack && i + 1 < _tokens.Count && _tokens[i + 1].Kind == TokenKind.Colon;
                    }
                }
                else if (kind == TokenKind.Eof)
                {
                    return false;
                }
            }
        }
        return false;
    }

    private Decl Field()
    {
        Enter();
        try
        {
            var token = Current;
            if (At(TokenKind.LBrack))
            {
                Next();
                var pattern = Expr();
                Expect(TokenKind.RBrack, "']'");
                Expect(TokenKind.Colon, "':'");
                return new PatternField(token.Position, pattern, FieldValue());
            }
            Next();
            var optional = false;
            if (At(TokenKind.Question))
            {
                Next();
                optional = true;
            }
            else if (At(TokenKind.Not))
            {
                Next();
            }
            Expect(TokenKind.Colon, "':'");
            if (token.Kind == TokenKind.String && token.Parts!.Count > 1)
            {
                return new DynamicField(token.Position, StringExpr(token), optional, FieldValue());
            }
            var isIdentifier = token.Kind != TokenKind.String;
            var label = isIdentifier ? token.Text : PlainString(token);
            return new Field(token.Position, label, isIdentifier, optional, FieldValue(), token.Comments ?? []);
        }
        finally
        {
            Leave();
        }
    }

    private Expr FieldValue()
    {
        if (IsFieldStart())
        {
            var pos = Current.Position;
            return new StructLit(pos, [Field()]);
        }
        return Expr();
    }

    private Comprehension Comprehension()
    {
        var pos = Current.Position;
        var clauses = new List<Clause>();
        while (true)
        {
            var token = Current;
            if (At(TokenKind.If))
            {
                Next();
                clauses.Add(new IfClause(token.Position, Expr()));
            }
            else if (At(TokenKind.For))
            {
                Next();
                var first = Expect(TokenKind.Ident, "identifier after 'for'").Text;
                string? key = null;
                var value = first;
                if (At(TokenKind.Comma) && Current.Text == ",")
                {
                    Next();
                    key = first;
                    value = Expect(TokenKind.Ident, "identifier after ','").Text;
                }
                Expect(TokenKind.In, "'in'");
                clauses.Add(new ForClause(token.Position, key, value, Expr()));
            }
            else if (At(TokenKind.Let) && clauses.Count > 0)
            {
                Next();
                var name = Expect(TokenKind.Ident, "identifier after 'let'").Text;
                Expect(TokenKind.Assign, "'='");
                clauses.Add(new LetClause(token.Position, name, Expr()));
            }
            else
            {
                break;
            }
            SkipNewlineCommas();
        }
        if (!At(TokenKind.LBrace))
        {
            throw Error($"expected '{{' after comprehension clauses, found {Describe(Current)}", Current);
        }
        return new Comprehension(pos, clauses, (StructLit)Operand());
    }

    private void SkipNewlineCommas()
    {
        while (At(TokenKind.Comma) && Current.Text == "\n")
        {
            Next();
        }
    }

    public Expr Expr() => Binary(1);

    private static int Precedence(TokenKind kind) => kind switch
    {
        TokenKind.Pipe => 1,
        TokenKind.Amp => 2,
        TokenKind.OrOr => 3,
        TokenKind.AndAnd => 4,
        TokenKind.Eq or TokenKind.NotEq or TokenKind.Less or TokenKind.LessEq or TokenKind.Greater
            or TokenKind.GreaterEq or TokenKind.Match or TokenKind.NotMatch => 5,
        TokenKind.Plus or TokenKind.Minus => 6,
        TokenKind.Star or TokenKind.Slash => 7,
        _ => 0,
    };

    private Expr Binary(int minPrecedence)
    {
        Enter();
        try
        {
            var left = Unary();
            while (true)
            {
                var op = Current;
                var precedence = Precedence(op.Kind);
                if (precedence == 0 || precedence < minPrecedence)
                {
                    return left;
                }
                Next();
                var right = Binary(precedence + 1);
                left = new BinaryExpr(op.Position, op.Kind, left, right);
            }
        }
        finally
        {
            Leave();
        }
    }

    private Expr Unary()
    {
        var token = Current;
        if (token.Kind is TokenKind.Not or TokenKind.Minus or TokenKind.Plus or TokenKind.Star
            or TokenKind.Less or TokenKind.LessEq or TokenKind.Greater or TokenKind.GreaterEq
            or TokenKind.NotEq or TokenKind.Match or TokenKind.NotMatch)
        {
            Next();
            Enter();
            try
            {
                return new UnaryExpr(token.Position, token.Kind, Unary());
            }
            finally
            {
                Leave();
            }
        }
        return Primary();
    }

    private Expr Primary()
    {
        var expr = Operand();
        while (true)
        {
            var token = Current;
            if (At(TokenKind.Dot))
            {
                Next();
                var name = Current;
                if (!IsLabelToken(name))
                {
                    throw Error($"expected field name after '.', found {Describe(name)}", name);
                }
                Next();
                expr = new SelectorExpr(token.Position, expr, name.Kind == TokenKind.String ? PlainString(name) : name.Text);
            }
            else if (At(TokenKind.LBrack))
            {
                Next();
                var index = Expr();
                Expect(TokenKind.RBrack, "']'");
                expr = new IndexExpr(token.Position, expr, index);
            }
            else if (At(TokenKind.LParen))
            {
                Next();
                var args = new List<Expr>();
                SkipNewlineCommas();
                while (!At(TokenKind.RParen))
                {
                    args.Add(Expr());
                    if (!At(TokenKind.Comma))
                    {
                        break;
                    }
                    SkipCommas();
                }
                Expect(TokenKind.RParen, "')'");
                expr = new CallExpr(token.Position, expr, args);
            }
            else
            {
                return expr;
            }
        }
    }

    private Expr Operand()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Ident:
                Next();
                return new Ident(token.Position, token.Text);
            case TokenKind.Int:
                Next();
                return new IntLit(token.Position, ParseInt(token), token.Text);
            case TokenKind.Float:
                Next();
                return new FloatLit(token.Position, double.Parse(token.Text.Replace("_", ""), CultureInfo.InvariantCulture), token.Text);
            case TokenKind.String:
                Next();
                return StringExpr(token);
            case TokenKind.Bottom:
                Next();
                return new BottomLit(token.Position);
            case TokenKind.True:
            case TokenKind.False:
                Next();
                return new BoolLit(token.Position, token.Kind == TokenKind.True);
            case TokenKind.Null:
                Next();
                return new NullLit(token.Position);
            case TokenKind.LParen:
                Next();
                Enter();
                try
                {
                    SkipNewlineCommas();
                    var inner = Expr();
                    SkipNewlineCommas();
                    Expect(TokenKind.RParen, "')'");
                    return inner;
                }
                finally
                {
                    Leave();
                }
            case TokenKind.LBrace:
                Next();
                Enter();
                try
                {
                    var decls = Decls(TokenKind.RBrace);
                    Expect(TokenKind.RBrace, "'}'");
                    return new StructLit(token.Position, decls);
                }
                finally
                {
                    Leave();
                }
            case TokenKind.LBrack:
                Next();
                Enter();
                try
                {
                    return List(token);
                }
                finally
                {
                    Leave();
                }
            default:
                throw Error($"expected an expression, found {Describe(token)}", token);
        }
    }

    private long ParseInt(Token token)
    {
        var text = token.Text.Replace("_", "");
        var (digits, radix) = text.Length > 1 && text[0] == '0' && char.IsAsciiLetter(text[1])
            ? (text[2..], char.ToLowerInvariant(text[1]) switch { 'x' => 16, 'o' => 8, _ => 2 })
            : (text, 10);
        try
        {
            long value = 0;
            if (digits.Length == 0)
            {
                throw Error($"malformed number '{token.Text}'", token);
            }
            foreach (var c in digits)
            {
                var d = char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
                if (d >= radix)
                {
                    throw Error($"malformed number '{token.Text}'", token);
                }
                value = checked((value * radix) + d);
            }
            return value;
        }
        catch (OverflowException)
        {
            throw Error($"integer '{token.Text}' is out of range", token);
        }
    }

    private Expr StringExpr(Token token)
    {
        var parts = token.Parts!;
        if (parts.Count == 1)
        {
            return new StringLit(token.Position, parts[0].Literal!);
        }
        var result = new List<object>();
        foreach (var part in parts)
        {
            if (part.Literal is not null)
            {
                if (part.Literal.Length > 0)
                {
                    result.Add(part.Literal);
                }
                continue;
            }
            var tokens = new Lexer(_source, part.ExprStart, part.ExprEnd).Run();
            var sub = new Parser(_source, tokens, _depth);
            sub.SkipCommas();
            var expr = sub.Expr();
            sub.SkipCommas();
            if (!sub.At(TokenKind.Eof))
            {
                throw sub.Error($"unexpected {Describe(sub.Current)} in interpolation", sub.Current);
            }
            result.Add(expr);
        }
        return new Interpolation(token.Position, result);
    }

    private ListLit List(Token open)
    {
        var elements = new List<Node>();
        Expr? tail = null;
        SkipCommas();
        while (!At(TokenKind.RBrack))
        {
            if (At(TokenKind.Ellipsis))
            {
                var ellipsis = Next();
                SkipNewlineCommas();
                tail = At(TokenKind.RBrack) ? new Ident(ellipsis.Position, "_") : Expr();
                SkipCommas();
                break;
            }
            elements.Add(At(TokenKind.If) || At(TokenKind.For) ? Comprehension() : Expr());
            if (!At(TokenKind.Comma))
            {
                break;
            }
            SkipCommas();
            if (At(TokenKind.Eof))
            {
                break;
            }
        }
        Expect(TokenKind.RBrack, "']'");
        return new ListLit(open.Position, elements, tail);
    }
}
