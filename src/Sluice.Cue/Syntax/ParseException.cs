namespace Sluice.Cue.Syntax;

/// <summary>Internal signal of a syntax error; turned into a <see cref="CueError"/> at the API.</summary>
internal sealed class ParseException(string message, SourcePosition position) : Exception(message)
{
    public SourcePosition Position { get; } = position;
}
