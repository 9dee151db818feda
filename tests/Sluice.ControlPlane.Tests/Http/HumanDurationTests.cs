using Sluice.ControlPlane.Http;

namespace Sluice.ControlPlane.Tests.Http;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(192, "3m12s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 20 * 60, "3h20m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(40 * 86400, "40d")]
    public void Format_Seconds_ReadsLikeKubectl(int seconds, string expected)
    {
        HumanDuration.Format(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
    }
}
