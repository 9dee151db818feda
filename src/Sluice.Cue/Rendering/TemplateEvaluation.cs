using System.Text.Json.Nodes;
using Sluice.Cue.Evaluation;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Rendering;

/// <summary>
/// One template evaluated with its properties as <c>parameter</c> and a <c>context</c>: parses it, resolves its imports,
/// evaluates, and checks the parameters (every property declared, each of the right type, every required one given).
/// </summary>
internal sealed class TemplateEvaluation
{
    private TemplateEvaluation(Evaluator evaluator, Vertex root)
    {
        Evaluator = evaluator;
        Root = root;
    }

    public Evaluator Evaluator { get; }

    public Vertex Root { get; }

    public static CueResult<TemplateEvaluation> Run(
        ErrorFactory errors, string definitionName, string template, JsonObject? properties, Expr context, CuePackages packages, int maxSteps)
    {
        if (!CueParser.TryParse(definitionName, template, out var file, out var parseError))
        {
            return CueResult<TemplateEvaluation>.Fail(parseError!);
        }
        var imports = new Dictionary<string, CuePackage>(StringComparer.Ordinal);
        foreach (var import in file!.Imports)
        {
            var package = StandardLibrary.Resolve(import.Path, packages, out var importError);
            if (package is null)
            {
                return CueResult<TemplateEvaluation>.Fail(new CueError(CueErrorKind.Evaluation, errors.Simple(CueErrorKind.Evaluation, importError!).Message, null, import.Pos));
            }
            if (!imports.TryAdd(import.Name, package))
            {
                return CueResult<TemplateEvaluation>.Fail(errors.Simple(CueErrorKind.Evaluation, $"import \"{import.Path}\": the name {import.Name} is imported twice ({import.Pos})"));
            }
        }

        properties ??= [];
        var evaluator = new Evaluator(maxSteps);
        var root = new Vertex(null, "") { IsRoot = true };
        root.Add(new Conjunct(file.Root, Env.Push(null, new ImportFrame(imports))));
        var propertiesExpr = JsonSyntax.ToExpr(properties);
        var given = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        Collect(propertiesExpr, given);
        root.Add(new Conjunct(new StructLit(new SourcePosition(0, 0),
        [
            new Field(new SourcePosition(0, 0), "context", false, false, context, []),
            new Field(new SourcePosition(0, 0), "parameter", false, false, propertiesExpr, []),
        ]), null));
        var rootValue = evaluator.Evaluate(root);

        var parameter = root.Arc("parameter")!;
        if (!Declared(parameter, given))
        {
            var first = properties.FirstOrDefault();
            if (first.Key is not null)
            {
                return CueResult<TemplateEvaluation>.Fail(errors.Undeclared(first.Key, first.Value));
            }
        }
        else if (CheckDeclared(evaluator, properties, parameter, "", given, errors) is { } undeclared)
        {
            return CueResult<TemplateEvaluation>.Fail(undeclared);
        }
        if (rootValue is BottomValue rootError)
        {
            return CueResult<TemplateEvaluation>.Fail(errors.FromBottom("", rootError));
        }
        if (CheckParameters(evaluator, parameter, errors) is { } parameterError)
        {
            return CueResult<TemplateEvaluation>.Fail(parameterError);
        }
        return CueResult<TemplateEvaluation>.Ok(new TemplateEvaluation(evaluator, root));
    }

    /// <summary>The field, when the template declares it (not optional): null otherwise.</summary>
    public Vertex? Field(string name) => Root.Arc(name) is { IsOptional: false } arc ? arc : null;

    private static void Collect(Node node, HashSet<Expr> exprs)
    {
        switch (node)
        {
            case StructLit s:
                exprs.Add(s);
                foreach (var field in s.Decls.OfType<Field>())
                {
                    Collect(field.Value, exprs);
                }
                break;
            case ListLit l:
                exprs.Add(l);
                foreach (var element in l.Elements)
                {
                    Collect(element, exprs);
                }
                break;
            case Expr e:
                exprs.Add(e);
                break;
        }
    }

    /// <summary>A field the template declares (some conjunct of it comes from the template, not from the properties).</summary>
    private static bool Declared(Vertex v, HashSet<Expr> given) => v.Conjuncts.Any(c => !given.Contains(c.Expr));

    /// <summary>Every property must name a declared parameter (recursively, where the schema is closed).</summary>
    private static CueError? CheckDeclared(Evaluator evaluator, JsonNode? node, Vertex schema, string path, HashSet<Expr> given, ErrorFactory errors)
    {
        var value = evaluator.Evaluate(schema);
        switch (node)
        {
            case JsonObject obj when value is StructValue:
                // An empty struct ({}) or one with ... or a pattern is open, as in CUE.
                var open = schema.IsOpen || !schema.Arcs.Any(a => Declared(a, given));
                foreach (var (key, child) in obj)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    var arc = schema.Arc(key);
                    if (arc is null || !Declared(arc, given))
                    {
                        if (!open)
                        {
                            return errors.Undeclared(childPath, child);
                        }
                        continue;
                    }
                    if (CheckDeclared(evaluator, child, arc, childPath, given, errors) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case JsonArray array when value is ListValue:
                for (var i = 0; i < array.Count && i < schema.Elements.Count; i++)
                {
                    var element = schema.Elements[i];
                    if (Declared(element, given) && CheckDeclared(evaluator, array[i], element, $"{path}[{i}]", given, errors) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Finds the first parameter in error or required and not given, in declaration order.</summary>
    private static CueError? CheckParameters(Evaluator evaluator, Vertex v, ErrorFactory errors)
    {
        var value = evaluator.Evaluate(v);
        switch (value)
        {
            case BottomValue bottom:
                return errors.FromBottom(v.Path, bottom);
            case StructValue:
                foreach (var arc in v.Arcs.ToList())
                {
                    if (!arc.IsOptional && !arc.IsHidden && CheckParameters(evaluator, arc, errors) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case ListValue:
                foreach (var element in v.Elements.ToList())
                {
                    if (CheckParameters(evaluator, element, errors) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            default:
                return Unifier.Concrete(value) is BottomValue ? errors.Missing(v.Path, value) : null;
        }
    }
}
