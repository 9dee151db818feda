namespace Sluice.Cue.Syntax;

// The syntax tree of the supported CUE subset. Every node carries its position.

internal abstract record Node(SourcePosition Pos);

internal abstract record Expr(SourcePosition Pos) : Node(Pos);

internal sealed record Ident(SourcePosition Pos, string Name) : Expr(Pos);

internal sealed record IntLit(SourcePosition Pos, long Value, string Text) : Expr(Pos);

internal sealed record FloatLit(SourcePosition Pos, double Value, string Text) : Expr(Pos);

internal sealed record StringLit(SourcePosition Pos, string Value) : Expr(Pos);

/// <summary>A string with <c>\(expr)</c> parts; each part is a <see cref="string"/> or an <see cref="Expr"/>.</summary>
internal sealed record Interpolation(SourcePosition Pos, IReadOnlyList<object> Parts) : Expr(Pos);

internal sealed record BoolLit(SourcePosition Pos, bool Value) : Expr(Pos);

internal sealed record NullLit(SourcePosition Pos) : Expr(Pos);

internal sealed record BottomLit(SourcePosition Pos) : Expr(Pos);

internal sealed record StructLit(SourcePosition Pos, IReadOnlyList<Decl> Decls) : Expr(Pos);

/// <summary>A list literal; <see cref="Tail"/> is the element type after <c>...</c> (or <c>_</c> for a bare <c>...</c>).</summary>
internal sealed record ListLit(SourcePosition Pos, IReadOnlyList<Node> Elements, Expr? Tail) : Expr(Pos);

internal sealed record SelectorExpr(SourcePosition Pos, Expr X, string Name) : Expr(Pos);

internal sealed record IndexExpr(SourcePosition Pos, Expr X, Expr Index) : Expr(Pos);

internal sealed record CallExpr(SourcePosition Pos, Expr Fun, IReadOnlyList<Expr> Args) : Expr(Pos);

internal sealed record UnaryExpr(SourcePosition Pos, TokenKind Op, Expr X) : Expr(Pos);

internal sealed record BinaryExpr(SourcePosition Pos, TokenKind Op, Expr X, Expr Y) : Expr(Pos);

internal abstract record Decl(SourcePosition Pos) : Node(Pos);

/// <summary>
/// <c>label: value</c>, <c>label?: value</c> or <c>label!: value</c>. <see cref="IsIdentifier"/> says
/// whether the label can be referenced by name (quoted labels cannot).
/// </summary>
internal sealed record Field(
    SourcePosition Pos,
    string Label,
    bool IsIdentifier,
    bool Optional,
    Expr Value,
    IReadOnlyList<string> Comments) : Decl(Pos);

/// <summary>A field whose label is computed: <c>"\(k)": v</c>.</summary>
internal sealed record DynamicField(SourcePosition Pos, Expr Label, bool Optional, Expr Value) : Decl(Pos);

/// <summary>A pattern constraint <c>[pattern]: value</c>, applied to every field whose label matches.</summary>
internal sealed record PatternField(SourcePosition Pos, Expr Pattern, Expr Value) : Decl(Pos);

internal sealed record LetDecl(SourcePosition Pos, string Name, Expr Value) : Decl(Pos);

/// <summary><c>...</c> in a struct: the struct is open.</summary>
internal sealed record EllipsisDecl(SourcePosition Pos) : Decl(Pos);

/// <summary>An expression embedded in a struct, unified with the struct itself.</summary>
internal sealed record EmbedDecl(SourcePosition Pos, Expr Value) : Decl(Pos);

/// <summary><c>if</c>/<c>for</c>/<c>let</c> clauses followed by a struct; also a list element.</summary>
internal sealed record Comprehension(SourcePosition Pos, IReadOnlyList<Clause> Clauses, StructLit Body) : Decl(Pos);

internal abstract record Clause(SourcePosition Pos) : Node(Pos);

internal sealed record IfClause(SourcePosition Pos, Expr Condition) : Clause(Pos);

internal sealed record ForClause(SourcePosition Pos, string? Key, string Value, Expr Source) : Clause(Pos);

internal sealed record LetClause(SourcePosition Pos, string Name, Expr Value) : Clause(Pos);

/// <summary><c>import alias "path"</c>; <see cref="Name"/> is the alias, or the path's last element.</summary>
internal sealed record ImportSpec(SourcePosition Pos, string? Alias, string Path) : Node(Pos)
{
    public string Name => Alias ?? DefaultName(Path);

    /// <summary>The name a package is known by without an alias: the path's last element (<c>encoding/json</c> is <c>json</c>).</summary>
    public static string DefaultName(string path)
    {
        var last = path[(path.LastIndexOf('/') + 1)..];
        var colon = last.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? last[(colon + 1)..] : last;
    }
}

/// <summary>A whole template: its top-level declarations and the packages it imports.</summary>
internal sealed record CueFile(SourcePosition Pos, StructLit Root, IReadOnlyList<ImportSpec> Imports) : Node(Pos);
