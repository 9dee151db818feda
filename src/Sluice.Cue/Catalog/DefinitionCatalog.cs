using Sluice.Cue.Evaluation;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Catalog;

/// <summary>
/// Describes a definition's parameters from its template's <c>parameter</c> struct: name, type,
/// required or optional, default, and the <c>// +usage=</c> and <c>// +short=</c> annotations.
/// </summary>
public static class DefinitionCatalog
{
    private const string UsagePrefix = "+usage=";
    private const string ShortPrefix = "+short=";

    public static CueResult<DefinitionDescription> Describe(string definitionName, string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!CueParser.TryParse(definitionName, template, out var file, out var error))
        {
            return CueResult<DefinitionDescription>.Fail(error!);
        }
        var parameters = new List<ParameterDescription>();
        foreach (var decl in file!.Root.Decls)
        {
            if (decl is Field { Label: "parameter", IsIdentifier: true, Value: StructLit lit })
            {
                foreach (var parameter in Fields(lit))
                {
                    if (!parameters.Exists(p => p.Name == parameter.Name))
                    {
                        parameters.Add(parameter);
                    }
                }
            }
        }
        return CueResult<DefinitionDescription>.Ok(new DefinitionDescription(definitionName, parameters));
    }

    private static List<ParameterDescription> Fields(StructLit lit) =>
        [.. lit.Decls.OfType<Field>().Where(f => !f.Label.StartsWith('_') && !f.Label.StartsWith('#')).Select(Describe)];

    private static ParameterDescription Describe(Field field)
    {
        var (type, defaultText) = TypeAndDefault(field.Value);
        var children = field.Value switch
        {
            StructLit s => Fields(s),
            ListLit { Tail: StructLit s } => Fields(s),
            _ => [],
        };
        return new ParameterDescription(
            field.Label,
            type,
            !field.Optional && defaultText is null,
            defaultText,
            Annotation(field.Comments, UsagePrefix),
            Annotation(field.Comments, ShortPrefix),
            children);
    }

    private static string? Annotation(IReadOnlyList<string> comments, string prefix)
    {
        var line = comments.LastOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal));
        return line?[prefix.Length..].Trim();
    }

    private static (string Type, string? Default) TypeAndDefault(Expr expr)
    {
        if (expr is not BinaryExpr { Op: TokenKind.Pipe })
        {
            return (Format(expr), null);
        }
        var terms = new List<Expr>();
        Flatten(expr, terms);
        var defaults = terms.OfType<UnaryExpr>().Where(u => u.Op == TokenKind.Star).Select(u => u.X).ToList();
        var alternatives = terms.Select(t => t is UnaryExpr { Op: TokenKind.Star } u ? u.X : t).ToList();
        var covered = alternatives.Aggregate(BasicKind.None, (k, t) => k | TypeKind(t));
        var shown = alternatives.Where(t => TypeKind(t) != BasicKind.None || (LiteralKind(t) & covered) == BasicKind.None);
        return (string.Join(" | ", shown.Select(Format).Distinct()), defaults.Count == 1 ? Format(defaults[0]) : null);
    }

    private static void Flatten(Expr e, List<Expr> terms)
    {
        if (e is BinaryExpr { Op: TokenKind.Pipe } b)
        {
            Flatten(b.X, terms);
            Flatten(b.Y, terms);
        }
        else
        {
            terms.Add(e);
        }
    }

    private static BasicKind TypeKind(Expr e) => e is BinaryExpr { Op: TokenKind.Amp } and
        ? TypeKind(and.X) | TypeKind(and.Y)
        : e is Ident i
        ? i.Name switch
        {
            "string" => BasicKind.String,
            "int" => BasicKind.Int,
            "float" => BasicKind.Float,
            "number" => BasicKind.Number,
            "bool" => BasicKind.Bool,
            "bytes" => BasicKind.Bytes,
            _ => BasicKind.None,
        }
        : BasicKind.None;

    private static BasicKind LiteralKind(Expr e) => e switch
    {
        StringLit or Interpolation => BasicKind.String,
        IntLit => BasicKind.Int,
        FloatLit => BasicKind.Float,
        BoolLit => BasicKind.Bool,
        NullLit => BasicKind.Null,
        _ => BasicKind.None,
    };

    /// <summary>Short CUE-like text of a type expression.</summary>
    private static string Format(Expr e) => e switch
    {
        Ident i => i.Name,
        IntLit i => i.Text,
        FloatLit f => f.Text,
        StringLit s => StringValue.Quote(s.Value),
        Interpolation => "string",
        BoolLit b => b.Value ? "true" : "false",
        NullLit => "null",
        ListLit { Elements.Count: 0, Tail: { } tail } => $"[...{Format(tail)}]",
        ListLit { Elements.Count: 0 } => "[]",
        ListLit => "[...]",
        StructLit { Decls: [PatternField p] } => $"{{[{Format(p.Pattern)}]: {Format(p.Value)}}}",
        StructLit => "{...}",
        BinaryExpr { Op: TokenKind.Pipe } => TypeAndDefault(e).Type,
        BinaryExpr { Op: TokenKind.Amp } b => $"{Format(b.X)} & {Format(b.Y)}",
        UnaryExpr { Op: TokenKind.Star } u => Format(u.X),
        UnaryExpr u => Evaluator.Op(u.Op) + Format(u.X),
        SelectorExpr s => $"{Format(s.X)}.{s.Name}",
        _ => "_",
    };
}
