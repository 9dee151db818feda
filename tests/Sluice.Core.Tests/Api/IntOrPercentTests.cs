using System.Text.Json;
using Sluice.Core.Api;

namespace Sluice.Core.Tests.Api;

public class IntOrPercentTests
{
    [Theory]
    [InlineData("10%", 5, 1)]
    [InlineData("40%", 5, 2)]
    [InlineData("50%", 5, 3)]
    [InlineData("20%", 10, 2)]
    [InlineData("3", 10, 3)]
    [InlineData("100%", 7, 7)]
    [InlineData("0%", 7, 0)]
    public void Resolve_RoundsPercentsUp(string text, int total, int expected)
    {
        IntOrPercent.TryParse(text, out var value).ShouldBeTrue();

        value!.Resolve(total).ShouldBe(expected);
    }

    [Theory]
    [InlineData("abc%")]
    [InlineData("%")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("5 %")]
    public void TryParse_Malformed_IsRejected(string text) => IntOrPercent.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("{\"replicas\":1}")]
    [InlineData("{\"replicas\":\"20%\"}")]
    public void Json_RoundTrip_KeepsTheWrittenForm(string json)
    {
        var batch = JsonSerializer.Deserialize<RolloutBatch>(json, SluiceJson.Options);

        JsonSerializer.Serialize(batch, SluiceJson.Options).ShouldBe(json);
    }

    [Theory]
    [InlineData("{\"replicas\":\"abc%\"}", "invalid value \"abc%\": want an integer or a percent such as \"20%\"")]
    [InlineData("{\"replicas\":\"5\"}", "invalid value \"5\": want an integer or a percent such as \"20%\"")]
    [InlineData("{\"replicas\":1.5}", "invalid value 1.5: want an integer or a percent such as \"20%\"")]
    public void Json_Malformed_SaysWhatIsWanted(string json, string message)
    {
        var error = Should.Throw<JsonException>(() => JsonSerializer.Deserialize<RolloutBatch>(json, SluiceJson.Options));

        error.Message.ShouldStartWith(message);
        error.Path.ShouldBe("$.replicas");
    }
}
