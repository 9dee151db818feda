using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>Binary operators on concrete values: arithmetic, comparison, concatenation, regex match.</summary>
internal static class Arithmetic
{
    public static Value Apply(BinaryExpr at, Value a, Value b)
    {
        var op = at.Op;
        try
        {
            switch (op, a, b)
            {
                case (TokenKind.Eq, _, _):
                    return Equality(at, a, b, true);
                case (TokenKind.NotEq, _, _):
                    return Equality(at, a, b, false);
                case (TokenKind.Plus, StringValue x, StringValue y):
                    return new StringValue(x.Value + y.Value);
                case (TokenKind.Plus or TokenKind.Minus or TokenKind.Star, IntValue x, IntValue y):
                    return new IntValue(op switch
                    {
                        TokenKind.Plus => checked(x.Value + y.Value),
                        TokenKind.Minus => checked(x.Value - y.Value),
                        _ => checked(x.Value * y.Value),
                    });
                case (TokenKind.Plus or TokenKind.Minus or TokenKind.Star or TokenKind.Slash, IntValue or FloatValue, IntValue or FloatValue):
                    var l = ToDouble(a);
                    var r = ToDouble(b);
                    if (op == TokenKind.Slash && r == 0)
                    {
                        return Fail(at, "division by zero");
                    }
                    return new FloatValue(op switch
                    {
                        TokenKind.Plus => l + r,
                        TokenKind.Minus => l - r,
                        TokenKind.Star => l * r,
                        _ => l / r,
                    });
                case (TokenKind.Less or TokenKind.LessEq or TokenKind.Greater or TokenKind.GreaterEq, IntValue or FloatValue, IntValue or FloatValue):
                    return new BoolValue(Compare(op, ToDouble(a).CompareTo(ToDouble(b))));
                case (TokenKind.Less or TokenKind.LessEq or TokenKind.Greater or TokenKind.GreaterEq, StringValue x, StringValue y):
                    return new BoolValue(Compare(op, string.CompareOrdinal(x.Value, y.Value)));
                case (TokenKind.Match or TokenKind.NotMatch, StringValue x, StringValue y):
                    var matches = Evaluator.MatchesRegex(x.Value, y.Value, out var error);
                    return error is not null ? Fail(at, error) : new BoolValue(matches == (op == TokenKind.Match));
            }
        }
        catch (OverflowException)
        {
            return Fail(at, "integer overflow");
        }
        return Fail(at, $"invalid operands {a.Describe()} and {b.Describe()} to '{Evaluator.Op(op)}'");
    }

    private static Value Equality(BinaryExpr at, Value a, Value b, bool equal)
    {
        if (a is StructValue or ListValue || b is StructValue or ListValue)
        {
            return Fail(at, "comparing structs or lists is not supported");
        }
        var same = (a, b) switch
        {
            (IntValue or FloatValue, IntValue or FloatValue) => ToDouble(a).Equals(ToDouble(b)),
            _ => Unifier.Equal(a, b),
        };
        return new BoolValue(same == equal);
    }

    private static bool Compare(TokenKind op, int c) => op switch
    {
        TokenKind.Less => c < 0,
        TokenKind.LessEq => c <= 0,
        TokenKind.Greater => c > 0,
        _ => c >= 0,
    };

    private static double ToDouble(Value v) => v is IntValue i ? i.Value : ((FloatValue)v).Value;

    private static BottomValue Fail(BinaryExpr at, string message) => new(BottomKind.Invalid, $"{message} ({at.Pos})");
}
