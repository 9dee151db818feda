using System.CommandLine;
using System.Globalization;
using Sluice.Simulator;

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

    /// <summary>An optional duration option of at least <paramref name="min"/>, e.g. <c>--lease-duration 2s</c>.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan min) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (DurationText.TryParse(text, out var value) && value >= min)
            {
                return value;
            }

            result.AddError($"{name}: \"{text}\" is not a duration of {min.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s or more (such as 2s, 1500ms or 1m)");
            return null;
        },
    };

    /// <summary>An optional IP address option, e.g. <c>--health-address 0.0.0.0</c>.</summary>
    public static Option<System.Net.IPAddress?> Address(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (System.Net.IPAddress.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: \"{text}\" is not an IP address (such as 127.0.0.1 or 0.0.0.0)");
            return null;
        },
    };
}
