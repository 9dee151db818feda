using System.Text.Json.Nodes;
using Sluice.Core.Analysis;

namespace Sluice.Core.Tests.Analysis;

public class JsonPathSelectorTests
{
    private static readonly JsonNode Document = JsonNode.Parse("""{"data":{"values":[1,2,3],"items":[{"v":1},{"v":2},{"w":3}],"a b":true,"rate":0.5}}""")!;

    [Theory]
    [InlineData("$.data.rate", "0.5")]
    [InlineData("{.data.rate}", "0.5")]
    [InlineData("data.rate", "0.5")]
    [InlineData("$.data.values[1]", "2")]
    [InlineData("$.data.values[-1]", "3")]
    [InlineData("$.data.values[*]", "[1,2,3]")]
    [InlineData("$.data.items[*].v", "[1,2]")]
    [InlineData("$['data']['a b']", "true")]
    [InlineData("$", "{\"data\":{\"values\":[1,2,3],\"items\":[{\"v\":1},{\"v\":2},{\"w\":3}],\"a b\":true,\"rate\":0.5}}")]
    public void Select_SupportedForms_PickTheValue(string path, string expected)
    {
        var selector = JsonPathSelector.Parse(path, out var error);
        error.ShouldBeNull();
        selector!.Select(Document, out error)!.ToJsonString().ShouldBe(expected);
        error.ShouldBeNull();
    }

    [Fact]
    public void Select_MissingName_IsAnErrorNamingIt()
    {
        JsonPathSelector.Parse("$.data.missing", out _)!.Select(Document, out var error).ShouldBeNull();
        error.ShouldBe("$.data.missing: \"missing\" not found");
    }

    [Theory]
    [InlineData("$.data[")]
    [InlineData("$.data[x]")]
    [InlineData("$..data")]
    public void Parse_Malformed_IsAnError(string path)
    {
        JsonPathSelector.Parse(path, out var error).ShouldBeNull();
        error.ShouldNotBeNull();
    }
}
