namespace Sluice.Cue.Syntax;

/// <summary>
/// One lexical token. Strings carry their parts (literal text and interpolation source spans);
/// <see cref="Comments"/> are the whole-line comments directly above the token.
/// </summary>
internal sealed record Token(
    TokenKind Kind,
    string Text,
    int Offset,
    SourcePosition Position,
    IReadOnlyList<StringPart>? Parts = null,
    IReadOnlyList<string>? Comments = null);
