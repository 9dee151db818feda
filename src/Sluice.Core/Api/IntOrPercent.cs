using System.Globalization;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// A count written either as an integer (<c>2</c>) or as a percent string (<c>"20%"</c>), like
/// Kubernetes' IntOrString restricted to the forms a rollout plan accepts. It keeps the form it was
/// written in, so a manifest re-serializes exactly.
/// </summary>
[JsonConverter(typeof(IntOrPercentJsonConverter))]
public sealed record IntOrPercent
{
    private IntOrPercent(int value, bool isPercent)
    {
        Value = value;
        IsPercent = isPercent;
    }

    /// <summary>The integer, or the percent's number (20 for "20%").</summary>
    public int Value { get; }

    public bool IsPercent { get; }

    public static IntOrPercent FromInt(int value) => new(value, isPercent: false);

    public static IntOrPercent FromPercent(int percent) => new(percent, isPercent: true);

    /// <summary>Reads the command-line and string form: <c>3</c> or <c>30%</c>.</summary>
    public static bool TryParse(string? text, out IntOrPercent? result)
    {
        result = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var isPercent = text.EndsWith('%');
        var digits = isPercent ? text[..^1] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        result = new IntOrPercent(number, isPercent);
        return true;
    }

    /// <summary>
    /// The count this stands for out of <paramref name="total"/>: an int is itself, a percent is
    /// rounded up. Examples: 1 of 5 is 1; "10%" of 5 is 1 (0.5 up); "40%" of 5 is 2; "50%" of 5 is 3.
    /// </summary>
    public int Resolve(int total) =>
        IsPercent ? (int)((((long)Value * total) + 99) / 100) : Value;

    public override string ToString() =>
        IsPercent ? $"{Value.ToString(CultureInfo.InvariantCulture)}%" : Value.ToString(CultureInfo.InvariantCulture);
}
