using System.Globalization;
using System.Text;

namespace Sluice.Cue.Evaluation;

/// <summary>An evaluated CUE value. Structs and lists live in a <see cref="Vertex"/>.</summary>
internal abstract record Value
{
    /// <summary>CUE-like text of the value, for messages.</summary>
    public abstract string Describe();
}

internal sealed record TopValue : Value
{
    public static readonly TopValue Instance = new();

    public override string Describe() => "_";
}

/// <summary>An error value. <see cref="Expected"/> and <see cref="Actual"/> feed type and disjunction messages.</summary>
internal sealed record BottomValue(BottomKind Kind, string Message, string? Expected = null, string? Actual = null) : Value
{
    public override string Describe() => "_|_";
}

internal sealed record NullValue : Value
{
    public static readonly NullValue Instance = new();

    public override string Describe() => "null";
}

internal sealed record BoolValue(bool Value) : Value
{
    public override string Describe() => Value ? "true" : "false";
}

internal sealed record IntValue(long Value) : Value
{
    public override string Describe() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed record FloatValue(double Value) : Value
{
    public override string Describe()
    {
        var text = Value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}

internal sealed record StringValue(string Value) : Value
{
    public override string Describe() => Quote(Value);

    public static string Quote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return b.Append('"').ToString();
    }
}

/// <summary>A byte string (<c>base64.Decode</c>, <c>sha256.Sum256</c>); exported to JSON as base64, as CUE does.</summary>
internal sealed record BytesValue(byte[] Value) : Value
{
    public override string Describe() => "'" + Convert.ToBase64String(Value) + "'";
}

/// <summary>An imported package, the value of its name (<c>strings</c>, <c>apps</c> for <c>kube/apps/v1</c>).</summary>
internal sealed record PackageValue(CuePackage Package) : Value
{
    public override string Describe() => $"package \"{Package.Path}\"";
}

/// <summary>A basic type such as <c>string</c>, <c>int</c> or <c>number</c>.</summary>
internal sealed record TypeValue(BasicKind Kinds) : Value
{
    public override string Describe() => Kinds switch
    {
        BasicKind.Number => "number",
        BasicKind.Int => "int",
        BasicKind.Float => "float",
        BasicKind.String => "string",
        BasicKind.Bool => "bool",
        BasicKind.Null => "null",
        BasicKind.Bytes => "bytes",
        _ => string.Join(" | ", Enum.GetValues<BasicKind>()
            .Where(k => k is not BasicKind.None and not BasicKind.Number && Kinds.HasFlag(k))
            .Select(k => new TypeValue(k).Describe())),
    };
}

/// <summary>One alternative of a disjunction; <see cref="IsDefault"/> when marked with <c>*</c>.</summary>
internal sealed record Alternative(Value Value, bool IsDefault);

internal sealed record DisjunctionValue(IReadOnlyList<Alternative> Alternatives) : Value
{
    public override string Describe() =>
        string.Join(" | ", Alternatives.Select(a => (a.IsDefault ? "*" : "") + a.Value.Describe()));

    /// <summary>The default, when exactly one alternative is marked (or only one remains).</summary>
    public Value? Default()
    {
        if (Alternatives.Count == 1)
        {
            return Alternatives[0].Value;
        }
        var defaults = Alternatives.Where(a => a.IsDefault).ToList();
        return defaults.Count == 1 ? defaults[0].Value : null;
    }
}

internal sealed record StructValue(Vertex Vertex) : Value
{
    public override string Describe() => "{...}";
}

internal sealed record ListValue(Vertex Vertex) : Value
{
    public override string Describe() => "[...]";
}

/// <summary>
/// A basic type narrowed by bounds: <c>int &amp; &gt;=0</c>, <c>&lt;=100</c>, <c>!="x"</c>, <c>=~"^v"</c>.
/// </summary>
internal sealed record ConstraintValue(BasicKind Kinds, IReadOnlyList<(Syntax.TokenKind Op, Value Limit)> Bounds) : Value
{
    public override string Describe()
    {
        var bounds = Bounds.Select(b => Evaluator.Op(b.Op) + b.Limit.Describe());
        var all = Kinds is BasicKind.Number or BasicKind.String ? bounds : bounds.Prepend(new TypeValue(Kinds).Describe());
        return string.Join(" & ", all);
    }
}
