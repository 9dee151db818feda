using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>Checks a concrete value against one bound such as <c>&gt;=0</c> or <c>=~"^v"</c>.</summary>
internal static class Bounds
{
    public static bool Satisfies(TokenKind op, Value value, Value limit)
    {
        switch (op, value, limit)
        {
            case (TokenKind.NotEq, _, _):
                return !(Unifier.Equal(value, limit) || (IsNumber(value) && IsNumber(limit) && ToDouble(value).Equals(ToDouble(limit))));
            case (TokenKind.Match or TokenKind.NotMatch, StringValue s, StringValue pattern):
                var matches = Evaluator.MatchesRegex(s.Value, pattern.Value, out var error);
                return error is null && matches == (op == TokenKind.Match);
            case (_, StringValue s, StringValue l):
                return Compare(op, string.CompareOrdinal(s.Value, l.Value));
            case (_, _, _) when IsNumber(value) && IsNumber(limit):
                return Compare(op, ToDouble(value).CompareTo(ToDouble(limit)));
            default:
                return false;
        }
    }

    private static bool IsNumber(Value v) => v is IntValue or FloatValue;

    private static double ToDouble(Value v) => v is IntValue i ? i.Value : ((FloatValue)v).Value;

    private static bool Compare(TokenKind op, int c) => op switch
    {
        TokenKind.Less => c < 0,
        TokenKind.LessEq => c <= 0,
        TokenKind.Greater => c > 0,
        _ => c >= 0,
    };
}
