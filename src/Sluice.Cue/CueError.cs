namespace Sluice.Cue;

/// <summary>
/// A failure to parse or evaluate a template, as a value. <see cref="Message"/> is the full
/// text a user reads; <see cref="Path"/> is the field (for example <c>parameter.port</c> or
/// <c>output.spec.replicas</c>) and <see cref="Position"/> the place in the template, when known.
/// </summary>
public sealed record CueError(CueErrorKind Kind, string Message, string? Path = null, SourcePosition? Position = null)
{
    public override string ToString() => Message;
}
