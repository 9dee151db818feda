using Sluice.Cue.Syntax;

namespace Sluice.Cue;

/// <summary>Checks that a template parses; the error carries line and column.</summary>
public static class CueParser
{
    /// <summary>Parses <paramref name="template"/>; on failure the error is of kind <see cref="CueErrorKind.Parse"/>.</summary>
    public static CueResult<bool> Validate(string definitionName, string template) =>
        TryParse(definitionName, template, out _, out var error) ? CueResult<bool>.Ok(true) : CueResult<bool>.Fail(error!);

    /// <summary>The import paths of a template (none when it does not parse: rendering reports that).</summary>
    public static IReadOnlyList<string> Imports(string template) =>
        TryParse("", template, out var file, out _) ? [.. file!.Imports.Select(i => i.Path)] : [];

    internal static bool TryParse(string definitionName, string template, out CueFile? file, out CueError? error)
    {
        try
        {
            file = Parser.ParseFile(template);
            error = null;
            return true;
        }
        catch (ParseException e)
        {
            file = null;
            error = new CueError(
                CueErrorKind.Parse,
                $"definition \"{definitionName}\": parse error at {e.Position}: {e.Message}",
                null,
                e.Position);
            return false;
        }
    }
}
