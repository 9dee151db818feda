using System.Globalization;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// A CronJob's <c>schedule</c>: five fields (minute hour day-of-month month day-of-week) with <c>*</c>, <c>?</c>, lists,
/// ranges, steps and month and day names, or a macro (<c>@hourly</c>, <c>@daily</c>, ...). As in cron, when both day
/// fields are restricted a day matching either runs.
/// </summary>
internal sealed class CronSchedule
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _anyDayOfMonth;
    private readonly bool _anyDayOfWeek;

    private CronSchedule(bool[] minutes, bool[] hours, bool[] daysOfMonth, bool[] months, bool[] daysOfWeek, bool anyDom, bool anyDow)
    {
        (_minutes, _hours, _daysOfMonth, _months, _daysOfWeek, _anyDayOfMonth, _anyDayOfWeek) = (minutes, hours, daysOfMonth, months, daysOfWeek, anyDom, anyDow);
    }

    /// <summary>The schedule, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static CronSchedule? Parse(string text, out string? error)
    {
        error = null;
        var spec = text.Trim() switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            var other => other,
        };
        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"expected exactly 5 fields, found {fields.Length}: \"{text}\"";
            return null;
        }
        var minutes = Field(fields[0], 0, 59, null, ref error);
        var hours = Field(fields[1], 0, 23, null, ref error);
        var dom = Field(fields[2], 1, 31, null, ref error);
        var months = Field(fields[3], 1, 12, Months, ref error);
        var dow = Field(fields[4].Replace("7", "0", StringComparison.Ordinal), 0, 6, Days, ref error);
        return error is null
            ? new CronSchedule(minutes!, hours!, dom!, months!, dow!, fields[2] is "*" or "?", fields[4] is "*" or "?")
            : null;
    }

    /// <summary>The first time after <paramref name="after"/> (to the minute) that the schedule fires, within five years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var t = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
                continue;
            }
            if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
                continue;
            }
            if (!_hours[t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }
            if (!_minutes[t.Minute])
            {
                t = t.AddMinutes(1);
                continue;
            }
            return new DateTimeOffset(t, zone.GetUtcOffset(t)).ToUniversalTime();
        }
        return null;
    }

    private bool DayMatches(DateTime t)
    {
        var dom = _daysOfMonth[t.Day];
        var dow = _daysOfWeek[(int)t.DayOfWeek];
        return _anyDayOfMonth || _anyDayOfWeek ? dom && dow : dom || dow;
    }

    private static bool[]? Field(string field, int min, int max, string[]? names, ref string? error)
    {
        var set = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                {
                    error ??= $"invalid step in \"{part}\"";
                    return null;
                }
                range = part[..slash];
            }
            int low, high;
            if (range is "*" or "?")
            {
                (low, high) = (min, max);
            }
            else
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                var lowText = dash >= 0 ? range[..dash] : range;
                if (Value(lowText, min, names) is not { } l)
                {
                    error ??= $"invalid value \"{lowText}\" (from {min} to {max})";
                    return null;
                }
                low = l;
                high = l;
                if (dash >= 0)
                {
                    if (Value(range[(dash + 1)..], min, names) is not { } h)
                    {
                        error ??= $"invalid value \"{range[(dash + 1)..]}\" (from {min} to {max})";
                        return null;
                    }
                    high = h;
                }
                else if (slash >= 0)
                {
                    high = max;
                }
            }
            if (low < min || high > max || low > high)
            {
                error ??= $"\"{part}\" is out of range (from {min} to {max})";
                return null;
            }
            for (var v = low; v <= high; v += step)
            {
                set[v] = true;
            }
        }
        return set;
    }

    private static int? Value(string text, int min, string[]? names)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        var index = names is null ? -1 : Array.IndexOf(names, text.ToUpperInvariant());
        return index < 0 ? null : index + min;
    }
}
