using System.Text.Json.Nodes;
using Sluice.Cue.Evaluation;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Rendering;

/// <summary>
/// Renders a component through its definition's CUE template: <c>parameter</c> is unified with
/// the component's properties, <c>context</c> is given, and <c>output</c> (the workload) and
/// <c>outputs</c> (extra resources) are exported as concrete JSON.
/// </summary>
public static class ComponentRenderer
{
    /// <summary>
    /// Renders <paramref name="template"/> (the text of <c>spec.schematic.cue.template</c>) for a
    /// component. Never throws for bad input: every failure is a <see cref="CueError"/> that
    /// names the definition, and where it applies the parameter and the value.
    /// </summary>
    public static CueResult<RenderedComponent> Render(
        string definitionName,
        string template,
        JsonObject? properties,
        RenderContext context,
        int maxSteps = Evaluator.DefaultMaxSteps)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        if (!CueParser.TryParse(definitionName, template, out var file, out var parseError))
        {
            return CueResult<RenderedComponent>.Fail(parseError!);
        }
        var errors = new ErrorFactory(definitionName);
        properties ??= [];
        try
        {
            var undeclared = CheckDeclared(file!, properties, errors, maxSteps);
            if (undeclared is not null)
            {
                return CueResult<RenderedComponent>.Fail(undeclared);
            }
            var evaluator = new Evaluator(maxSteps);
            var root = new Vertex(null, "") { IsRoot = true };
            root.Add(new Conjunct(file!.Root, null));
            var injected = new JsonObject { ["context"] = context.ToJson(), ["parameter"] = properties.DeepClone() };
            root.Add(new Conjunct(JsonSyntax.ToExpr(injected), null));
            if (evaluator.Evaluate(root) is BottomValue rootError)
            {
                return CueResult<RenderedComponent>.Fail(errors.FromBottom("", rootError));
            }
            var parameterError = CheckParameters(evaluator, root.Arc("parameter")!, errors);
            if (parameterError is not null)
            {
                return CueResult<RenderedComponent>.Fail(parameterError);
            }
            return Export(evaluator, root, errors);
        }
        catch (EvalLimitException e)
        {
            return CueResult<RenderedComponent>.Fail(new CueError(CueErrorKind.Limit, $"definition \"{definitionName}\": {e.Message}"));
        }
    }

    private static CueResult<RenderedComponent> Export(Evaluator evaluator, Vertex root, ErrorFactory errors)
    {
        var exporter = new Exporter(evaluator);
        var outputVertex = root.Arc("output");
        if (outputVertex is null || outputVertex.IsOptional)
        {
            return CueResult<RenderedComponent>.Fail(errors.Simple(CueErrorKind.Evaluation, "the template has no output"));
        }
        if (exporter.Export(outputVertex, out var failure) is not JsonObject output)
        {
            return CueResult<RenderedComponent>.Fail(failure is null
                ? errors.Simple(CueErrorKind.Evaluation, "output must be a struct")
                : errors.FromBottom(failure.Path, failure.Bottom));
        }
        var outputs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var outputsVertex = root.Arc("outputs");
        if (outputsVertex is { IsOptional: false })
        {
            if (exporter.Export(outputsVertex, out failure) is not JsonObject all)
            {
                return CueResult<RenderedComponent>.Fail(failure is null
                    ? errors.Simple(CueErrorKind.Evaluation, "outputs must be a struct of resources")
                    : errors.FromBottom(failure.Path, failure.Bottom));
            }
            foreach (var (name, resource) in all)
            {
                if (resource is not JsonObject resourceObject)
                {
                    return CueResult<RenderedComponent>.Fail(errors.Simple(CueErrorKind.Evaluation, $"outputs.{name} must be a struct"));
                }
                outputs[name] = (JsonObject)resourceObject.DeepClone();
            }
        }
        return CueResult<RenderedComponent>.Ok(new RenderedComponent(output, outputs));
    }

    /// <summary>Every property must name a declared parameter (recursively, where the schema is closed).</summary>
    private static CueError? CheckDeclared(CueFile file, JsonObject properties, ErrorFactory errors, int maxSteps)
    {
        var evaluator = new Evaluator(maxSteps);
        var root = new Vertex(null, "") { IsRoot = true };
        root.Add(new Conjunct(file.Root, null));
        evaluator.Evaluate(root);
        var schema = root.Arc("parameter");
        if (schema is null)
        {
            var first = properties.FirstOrDefault();
            return first.Key is null ? null : errors.Undeclared(first.Key, first.Value);
        }
        return CheckDeclared(evaluator, properties, schema, "", errors);
    }

    private static CueError? CheckDeclared(Evaluator evaluator, JsonNode? node, Vertex schema, string path, ErrorFactory errors)
    {
        var value = evaluator.Evaluate(schema);
        switch (node)
        {
            case JsonObject obj when value is StructValue:
                foreach (var (key, child) in obj)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    var arc = schema.Arc(key);
                    if (arc is null)
                    {
                        if (!schema.IsOpen)
                        {
                            return errors.Undeclared(childPath, child);
                        }
                        continue;
                    }
                    if (CheckDeclared(evaluator, child, arc, childPath, errors) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case JsonArray array when value is ListValue:
                for (var i = 0; i < array.Count; i++)
                {
                    var element = ElementSchema(schema, i);
                    if (element is not null && CheckDeclared(evaluator, array[i], element, $"{path}[{i}]", errors) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static Vertex? ElementSchema(Vertex list, int index)
    {
        if (index < list.Elements.Count)
        {
            return list.Elements[index];
        }
        if (list.Tails.Count == 0)
        {
            return null;
        }
        var element = new Vertex(list, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var tail in list.Tails)
        {
            element.Add(tail);
        }
        return element;
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
