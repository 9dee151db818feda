namespace Sluice.Cue.Syntax;

/// <summary>A piece of a string literal: literal text, or an interpolation's source span.</summary>
internal sealed record StringPart(string? Literal, int ExprStart, int ExprEnd);
