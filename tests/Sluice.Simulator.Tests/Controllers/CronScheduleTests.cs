using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

public class CronScheduleTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("*/15 * * * *", "2026-03-04T10:07:00Z", "2026-03-04T10:15:00Z")]
    [InlineData("0 3 * * *", "2026-03-04T10:07:00Z", "2026-03-05T03:00:00Z")]
    [InlineData("30 9 * * MON-FRI", "2026-03-06T10:00:00Z", "2026-03-09T09:30:00Z")]
    [InlineData("0 0 1 JAN *", "2026-03-04T10:07:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@hourly", "2026-03-04T10:07:30Z", "2026-03-04T11:00:00Z")]
    [InlineData("0 12 13 * FRI", "2026-03-01T00:00:00Z", "2026-03-06T12:00:00Z")]
    [InlineData("5,10 1-2 * * *", "2026-03-04T01:05:00Z", "2026-03-04T01:10:00Z")]
    public void Next_Schedule_IsTheFirstMatchingMinuteAfter(string schedule, string after, string expected)
    {
        var parsed = CronSchedule.Parse(schedule, out var error);

        error.ShouldBeNull();
        parsed!.Next(At(after), TimeZoneInfo.Utc).ShouldBe(At(expected));
    }

    [Theory]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: \"* * * *\"")]
    [InlineData("61 * * * *", "\"61\" is out of range (from 0 to 59)")]
    [InlineData("* * * FOO *", "invalid value \"FOO\" (from 1 to 12)")]
    [InlineData("*/0 * * * *", "invalid step in \"*/0\"")]
    public void Parse_BadSchedule_SaysWhatIsWrong(string schedule, string message)
    {
        CronSchedule.Parse(schedule, out var error).ShouldBeNull();
        error.ShouldBe(message);
    }
}
