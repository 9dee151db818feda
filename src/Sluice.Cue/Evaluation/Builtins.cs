using System.Globalization;
using System.Text;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>The few builtin functions definitions use: <c>len</c>, some of <c>strings</c> and <c>strconv</c>.</summary>
internal static class Builtins
{
    public static Value Call(Evaluator evaluator, CallExpr call, Env? env)
    {
        var name = call.Fun switch
        {
            Ident i => i.Name,
            SelectorExpr { X: Ident package } s => $"{package.Name}.{s.Name}",
            _ => null,
        };
        var args = new List<Value>();
        foreach (var arg in call.Args)
        {
            var value = Unifier.Concrete(evaluator.Eval(arg, env));
            if (value is BottomValue)
            {
                return value;
            }
            args.Add(value);
        }
        switch (name, args.Count)
        {
            case ("len", 1):
                return args[0] switch
                {
                    StringValue s => new IntValue(Encoding.UTF8.GetByteCount(s.Value)),
                    ListValue l => Count(evaluator, l.Vertex, v => v.Elements.Count),
                    StructValue s => Count(evaluator, s.Vertex, v => v.Arcs.Count(a => !a.IsOptional && !a.IsHidden)),
                    _ => Fail(call, $"len of {args[0].Describe()}"),
                };
            case ("strings.ToLower", 1) when args[0] is StringValue s:
                return new StringValue(s.Value.ToLowerInvariant());
            case ("strings.ToUpper", 1) when args[0] is StringValue s:
                return new StringValue(s.Value.ToUpperInvariant());
            case ("strings.TrimSpace", 1) when args[0] is StringValue s:
                return new StringValue(s.Value.Trim());
            case ("strings.HasPrefix", 2) when args[0] is StringValue s && args[1] is StringValue p:
                return new BoolValue(s.Value.StartsWith(p.Value, StringComparison.Ordinal));
            case ("strings.Contains", 2) when args[0] is StringValue s && args[1] is StringValue p:
                return new BoolValue(s.Value.Contains(p.Value, StringComparison.Ordinal));
            case ("strings.Join", 2) when args[0] is ListValue l && args[1] is StringValue separator:
                return Join(evaluator, l.Vertex, separator.Value, call);
            case ("strconv.FormatInt", 2) when args[0] is IntValue i && args[1] is IntValue { Value: 10 }:
                return new StringValue(i.Value.ToString(CultureInfo.InvariantCulture));
            default:
                return Fail(call, $"unsupported call {name ?? "expression"}/{args.Count}");
        }
    }

    private static Value Count(Evaluator evaluator, Vertex v, Func<Vertex, int> count)
    {
        var result = evaluator.Evaluate(v);
        return result is BottomValue ? result : new IntValue(count(v));
    }

    private static Value Join(Evaluator evaluator, Vertex list, string separator, CallExpr call)
    {
        var result = evaluator.Evaluate(list);
        if (result is BottomValue)
        {
            return result;
        }
        var parts = new List<string>();
        foreach (var element in list.Elements)
        {
            if (Unifier.Concrete(evaluator.Evaluate(element)) is not StringValue s)
            {
                return Fail(call, "strings.Join needs a list of strings");
            }
            parts.Add(s.Value);
        }
        return new StringValue(string.Join(separator, parts));
    }

    private static BottomValue Fail(CallExpr at, string message) => new(BottomKind.Invalid, $"{message} ({at.Pos})");
}
