using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Rendering;

/// <summary>Turns JSON (a component's properties, the context) into CUE literals to unify with a template.</summary>
internal static class JsonSyntax
{
    private static readonly SourcePosition Synthetic = new(0, 0);

    public static Expr ToExpr(JsonNode? node) => node switch
    {
        null => new NullLit(Synthetic),
        JsonObject o => new StructLit(Synthetic, [.. o.Select(p => (Decl)new Field(Synthetic, p.Key, false, false, ToExpr(p.Value), []))]),
        JsonArray a => new ListLit(Synthetic, [.. a.Select(e => (Node)ToExpr(e))], null),
        JsonValue v => Scalar(v),
        _ => new NullLit(Synthetic),
    };

    private static Expr Scalar(JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                return new StringLit(Synthetic, v.GetValue<string>());
            case JsonValueKind.True:
                return new BoolLit(Synthetic, true);
            case JsonValueKind.False:
                return new BoolLit(Synthetic, false);
            case JsonValueKind.Number:
                var text = v.ToJsonString();
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                    ? new IntLit(Synthetic, i, text)
                    : new FloatLit(Synthetic, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), text);
            default:
                return new NullLit(Synthetic);
        }
    }
}
