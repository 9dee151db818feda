using System.CommandLine;
using System.Globalization;

namespace Sluice.Cli.Commands;

/// <summary>Option builders shared by the verbs, with errors that name the option and the value.</summary>
internal static class Options
{
    /// <summary>An optional whole-number option, e.g. <c>--replicas 5</c>.</summary>
    public static Option<int?> Count(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            result.AddError($"{name}: \"{text}\" is not a whole number of 0 or more");
            return null;
        },
    };

    /// <summary>An optional positive duration option, e.g. <c>--poll-interval 5s</c>.</summary>
    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Sluice.Simulator.DurationText.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"{name}: \"{text}\" is not a duration above zero such as 5s or 500ms");
            return null;
        },
    };
}
