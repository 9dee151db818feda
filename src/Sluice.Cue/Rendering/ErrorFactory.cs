using System.Text.Json.Nodes;
using Sluice.Cue.Evaluation;

namespace Sluice.Cue.Rendering;

/// <summary>The exact messages of rendering errors; every one names the definition.</summary>
internal sealed class ErrorFactory(string definitionName, string noun = "definition")
{
    private const string ParameterPrefix = "parameter.";

    private string Prefix => $"{noun} \"{definitionName}\": ";

    public CueError Simple(CueErrorKind kind, string message) => new(kind, Prefix + message);

    public CueError Undeclared(string parameter, JsonNode? value) =>
        new(CueErrorKind.UndeclaredParameter,
            $"{Prefix}parameter \"{parameter}\" is not declared (value {Show(value)})",
            ParameterPrefix + parameter);

    public CueError Missing(string path, Value type) =>
        new(CueErrorKind.MissingParameter,
            $"{Prefix}parameter \"{Parameter(path)}\" is required but was not given (type {Unifier.UserType(type)})",
            path);

    /// <summary>An error value found at <paramref name="path"/>, phrased for a parameter or an output field.</summary>
    public CueError FromBottom(string path, BottomValue bottom)
    {
        var kind = bottom.Kind switch
        {
            BottomKind.TypeMismatch => CueErrorKind.TypeMismatch,
            BottomKind.OutsideDisjunction => CueErrorKind.OutsideDisjunction,
            BottomKind.Conflict => CueErrorKind.Conflict,
            BottomKind.Incomplete => CueErrorKind.NotConcrete,
            BottomKind.Limit => CueErrorKind.Limit,
            _ => CueErrorKind.Evaluation,
        };
        var isParameter = path == "parameter" || path.StartsWith(ParameterPrefix, StringComparison.Ordinal);
        var subject = isParameter ? $"parameter \"{Parameter(path)}\"" : path.Length == 0 ? "template" : path;
        var message = kind switch
        {
            CueErrorKind.TypeMismatch => $"{subject} must be {bottom.Expected}, got {bottom.Actual}",
            CueErrorKind.OutsideDisjunction => $"{subject} must be one of {bottom.Expected}, got {bottom.Actual}",
            CueErrorKind.Conflict => $"{subject}: conflicting values {bottom.Expected} and {bottom.Actual}",
            CueErrorKind.NotConcrete when bottom.Expected is not null => $"{subject} is not concrete (value {bottom.Expected})",
            _ => $"{subject}: {bottom.Message}",
        };
        return new CueError(kind, Prefix + message, path);
    }

    private static string Parameter(string path) =>
        path.StartsWith(ParameterPrefix, StringComparison.Ordinal) ? path[ParameterPrefix.Length..] : path;

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";
}
