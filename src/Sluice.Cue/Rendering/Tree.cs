using System.Text.Json.Nodes;
using Sluice.Cue.Evaluation;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Rendering;

/// <summary>
/// A rendered resource before it is made final: structs and lists as data, each leaf still a CUE value (a
/// default such as <c>*1 | int</c> stays a disjunction). KubeVela keeps its workload in this form between traits,
/// so that a trait's patch can override a default, and exports it to JSON only at the end.
/// </summary>
internal abstract record Tree
{
    /// <summary>The concrete JSON, or the first field that is not concrete.</summary>
    public abstract JsonNode? ToJson(string path, out (string Path, BottomValue Bottom)? failure);

    /// <summary>An expression that evaluates to this tree (for <c>context.output</c>).</summary>
    public abstract Expr ToExpr();

    /// <summary>
    /// The tree of an evaluated vertex: optional and hidden fields and definitions left out. A field that a closed
    /// struct (a definition such as <c>apps.#Deployment</c>) it was unified with does not allow is an error, as in CUE.
    /// </summary>
    public static Tree? From(Evaluator evaluator, Vertex v, out (string Path, BottomValue Bottom)? failure) => From(evaluator, v, [], out failure);

    private static Tree? From(Evaluator evaluator, Vertex v, IReadOnlyList<Vertex> inherited, out (string Path, BottomValue Bottom)? failure)
    {
        failure = null;
        var value = evaluator.Evaluate(v);
        switch (value)
        {
            case BottomValue bottom:
                failure = (v.Path, bottom);
                return null;
            case StructValue:
                var fields = new List<TreeField>();
                var closers = inherited.Concat(v.Closers).Distinct().ToList();
                foreach (var arc in v.Arcs.ToList())
                {
                    if (arc.IsOptional || arc.IsHidden)
                    {
                        continue;
                    }
                    if (closers.FirstOrDefault(c => !evaluator.Allows(c, arc.Label)) is { } closer)
                    {
                        failure = (arc.Path, new BottomValue(BottomKind.Invalid, $"field not allowed: {Name(closer)} has no field \"{arc.Label}\""));
                        return null;
                    }
                    var below = closers.Select(c => c.Arc(arc.Label)).OfType<Vertex>().Where(c => evaluator.Evaluate(c) is StructValue).ToList();
                    var child = From(evaluator, arc, below, out failure);
                    if (child is null)
                    {
                        return null;
                    }
                    fields.Add(new TreeField(arc.Label, child, PatchTags.Parse(arc.Comments)));
                }
                return new TreeStruct(fields);
            case ListValue:
                var items = new List<Tree>();
                foreach (var element in v.Elements.ToList())
                {
                    var child = From(evaluator, element, [], out failure);
                    if (child is null)
                    {
                        return null;
                    }
                    items.Add(child);
                }
                return new TreeList(items);
            case DisjunctionValue d when d.Alternatives.Any(a => a.Value is StructValue or ListValue):
                failure = (v.Path, new BottomValue(BottomKind.Invalid, "disjunctions of structs are not supported in output"));
                return null;
            default:
                return new TreeLeaf(value);
        }
    }

    /// <summary>A JSON document as a tree of concrete leaves.</summary>
    public static Tree FromJson(JsonNode? node) => node switch
    {
        JsonObject o => new TreeStruct([.. o.Select(p => new TreeField(p.Key, FromJson(p.Value), PatchTags.None))]),
        JsonArray a => new TreeList([.. a.Select(FromJson)]),
        null => new TreeLeaf(NullValue.Instance),
        JsonValue v => new TreeLeaf(JsonScalar(v)),
        _ => new TreeLeaf(NullValue.Instance),
    };

    private static Value JsonScalar(JsonValue v) => v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => new StringValue(v.GetValue<string>()),
        System.Text.Json.JsonValueKind.True => new BoolValue(true),
        System.Text.Json.JsonValueKind.False => new BoolValue(false),
        System.Text.Json.JsonValueKind.Number when long.TryParse(v.ToJsonString(), out var i) => new IntValue(i),
        System.Text.Json.JsonValueKind.Number => new FloatValue(v.GetValue<double>()),
        _ => NullValue.Instance,
    };

    protected static readonly SourcePosition Synthetic = new(0, 0);

    /// <summary>A closed struct as a user knows it: <c>#Container</c> of a kube package is "Container".</summary>
    private static string Name(Vertex closer)
    {
        var parts = new List<string>();
        for (var x = closer; x is not null && x.Label.Length > 0; x = x.Parent)
        {
            parts.Insert(0, x.Label.StartsWith("#S_", StringComparison.Ordinal) ? x.Label[3..] : x.Label);
        }
        return string.Join('.', parts);
    }

    protected static string Child(string path, string label) => path.Length == 0 ? label : $"{path}.{label}";
}

/// <summary>One field of a <see cref="TreeStruct"/> with the <c>// +patchKey=</c> style annotations written above it.</summary>
internal sealed record TreeField(string Label, Tree Value, IReadOnlyDictionary<string, string> Tags);

internal sealed record TreeStruct(IReadOnlyList<TreeField> Fields) : Tree
{
    public static TreeStruct Empty { get; } = new([]);

    public TreeField? Field(string label) => Fields.FirstOrDefault(f => f.Label == label);

    public override JsonNode? ToJson(string path, out (string Path, BottomValue Bottom)? failure)
    {
        failure = null;
        var obj = new JsonObject();
        foreach (var field in Fields)
        {
            var child = field.Value.ToJson(Child(path, field.Label), out failure);
            if (failure is not null)
            {
                return null;
            }
            obj[field.Label] = child;
        }
        return obj;
    }

    public override Expr ToExpr() =>
        new StructLit(Synthetic, [.. Fields.Select(f => (Decl)new Field(Synthetic, f.Label, false, false, f.Value.ToExpr(), []))]);
}

internal sealed record TreeList(IReadOnlyList<Tree> Items) : Tree
{
    public override JsonNode? ToJson(string path, out (string Path, BottomValue Bottom)? failure)
    {
        failure = null;
        var array = new JsonArray();
        for (var i = 0; i < Items.Count; i++)
        {
            var child = Items[i].ToJson($"{path}[{i}]", out failure);
            if (failure is not null)
            {
                return null;
            }
            array.Add(child);
        }
        return array;
    }

    public override Expr ToExpr() => new ListLit(Synthetic, [.. Items.Select(i => (Node)i.ToExpr())], null);
}

internal sealed record TreeLeaf(Value Value) : Tree
{
    public override JsonNode? ToJson(string path, out (string Path, BottomValue Bottom)? failure)
    {
        failure = null;
        var concrete = Unifier.Concrete(Value);
        if (concrete is BottomValue bottom)
        {
            failure = (path, bottom);
            return null;
        }
        var node = Exporter.Scalar(concrete, out var ok);
        if (!ok)
        {
            failure = (path, new BottomValue(BottomKind.Invalid, $"cannot export {concrete.Describe()}"));
        }
        return node;
    }

    public override Expr ToExpr() => new ValueLit(Value);
}
