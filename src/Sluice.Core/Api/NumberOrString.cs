using System.Globalization;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// A value written as a JSON number (<c>99.5</c>) or a string (<c>"99.5"</c>, <c>"10%"</c>), like Kubernetes'
/// IntOrString widened to decimals. It keeps the text and the form it was written in, so a manifest round-trips;
/// what the text means is read where it is used (a bound, a tolerance), so an error there names the field.
/// </summary>
[JsonConverter(typeof(NumberOrStringJsonConverter))]
public sealed record NumberOrString
{
    private NumberOrString(string text, bool isString)
    {
        Text = text;
        IsString = isString;
    }

    /// <summary>The number's JSON text, or the string's content.</summary>
    public string Text { get; }

    /// <summary>Written as a JSON string.</summary>
    public bool IsString { get; }

    public static NumberOrString FromNumber(double value) => new(value.ToString("R", CultureInfo.InvariantCulture), isString: false);

    public static NumberOrString FromString(string text) => new(text, isString: true);

    internal static NumberOrString FromJsonNumber(string raw) => new(raw, isString: false);

    /// <summary>The value as a finite number (the text, with no percent sign).</summary>
    public bool TryNumber(out double value) =>
        double.TryParse(Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>"10%" as 10 (and true); false for anything else.</summary>
    public bool TryPercent(out double percent)
    {
        percent = 0;
        var text = Text.Trim();
        return text.EndsWith('%')
            && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out percent)
            && double.IsFinite(percent);
    }

    public override string ToString() => Text;
}
