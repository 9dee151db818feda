namespace Sluice.Cue.Evaluation;

/// <summary>The kinds a basic type admits: <c>int</c> is Int, <c>number</c> is Int | Float.</summary>
[Flags]
internal enum BasicKind
{
    None = 0,
    Null = 1,
    Bool = 2,
    Int = 4,
    Float = 8,
    String = 16,
    Bytes = 32,
    Number = Int | Float,
}
