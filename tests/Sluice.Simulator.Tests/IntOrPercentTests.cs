using System.Text.Json.Nodes;
using Sluice.Simulator;

namespace Sluice.Simulator.Tests;

public sealed class IntOrPercentTests
{
    [Theory]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("30%", 10, true, 3)]
    [InlineData("30%", 10, false, 3)]
    [InlineData("0%", 10, true, 0)]
    [InlineData("100%", 7, false, 7)]
    [InlineData("3", 10, true, 3)]
    [InlineData("1%", 1, true, 1)]
    [InlineData("1%", 1, false, 0)]
    public void Scaled_StringValue_RoundsAsKubernetes(string value, int total, bool roundUp, int expected) =>
        IntOrPercent.Scaled(JsonValue.Create(value), total, roundUp, -1).ShouldBe(expected);

    [Fact]
    public void Scaled_Number_IsTakenAsIs() => IntOrPercent.Scaled(JsonValue.Create(4), 10, true, -1).ShouldBe(4);

    [Fact]
    public void Scaled_Missing_GivesFallback() => IntOrPercent.Scaled(null, 10, true, 7).ShouldBe(7);
}
