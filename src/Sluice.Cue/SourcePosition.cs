namespace Sluice.Cue;

/// <summary>A place in a template's text: 1-based line and column.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
