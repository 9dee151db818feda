using System.Text.Json.Nodes;
using Sluice.Cue.Evaluation;

namespace Sluice.Cue.Rendering;

/// <summary>Turns an evaluated vertex into concrete JSON, or the first error with its field path.</summary>
internal sealed class Exporter(Evaluator evaluator)
{
    public sealed record Failure(string Path, BottomValue Bottom);

    public JsonNode? Export(Vertex v, out Failure? failure)
    {
        failure = null;
        var value = evaluator.Evaluate(v);
        switch (value)
        {
            case BottomValue bottom:
                failure = new Failure(v.Path, bottom);
                return null;
            case StructValue:
                var obj = new JsonObject();
                foreach (var arc in v.Arcs.ToList())
                {
                    if (arc.IsOptional || arc.IsHidden)
                    {
                        continue;
                    }
                    var child = Export(arc, out failure);
                    if (failure is not null)
                    {
                        return null;
                    }
                    obj[arc.Label] = child;
                }
                return obj;
            case ListValue:
                var array = new JsonArray();
                foreach (var element in v.Elements.ToList())
                {
                    var child = Export(element, out failure);
                    if (failure is not null)
                    {
                        return null;
                    }
                    array.Add(child);
                }
                return array;
        }
        var concrete = Unifier.Concrete(value);
        switch (concrete)
        {
            case StructValue or ListValue:
                failure = new Failure(v.Path, new BottomValue(BottomKind.Invalid, "disjunctions of structs are not supported in output"));
                return null;
            case BottomValue bottom:
                failure = new Failure(v.Path, bottom);
                return null;
        }
        var scalar = Scalar(concrete, out var ok);
        if (!ok)
        {
            failure = new Failure(v.Path, new BottomValue(BottomKind.Invalid, $"cannot export {concrete.Describe()}"));
        }
        return scalar;
    }

    /// <summary>A concrete scalar as JSON (bytes as base64, as CUE exports them); <paramref name="ok"/> is false for anything else.</summary>
    public static JsonNode? Scalar(Value value, out bool ok)
    {
        ok = true;
        switch (value)
        {
            case NullValue:
                return null;
            case BoolValue b:
                return JsonValue.Create(b.Value);
            case IntValue i:
                return JsonValue.Create(i.Value);
            case FloatValue f when double.IsFinite(f.Value):
                return JsonValue.Create(f.Value);
            case StringValue s:
                return JsonValue.Create(s.Value);
            case BytesValue bytes:
                return JsonValue.Create(Convert.ToBase64String(bytes.Value));
            default:
                ok = false;
                return null;
        }
    }
}
