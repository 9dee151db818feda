using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Patching;

namespace Sluice.ControlPlane.Tests.Patching;

public sealed class JsonPatchTests
{
    private static JsonNode Doc() => JsonNode.Parse("""{"a":{"b":[1,2,3]},"c":"x","d/e":1}""")!;

    [Theory]
    [InlineData("""[{"op":"add","path":"/a/b/1","value":9}]""", """{"a":{"b":[1,9,2,3]},"c":"x","d/e":1}""")]
    [InlineData("""[{"op":"add","path":"/a/b/-","value":4}]""", """{"a":{"b":[1,2,3,4]},"c":"x","d/e":1}""")]
    [InlineData("""[{"op":"remove","path":"/c"}]""", """{"a":{"b":[1,2,3]},"d/e":1}""")]
    [InlineData("""[{"op":"replace","path":"/d~1e","value":2}]""", """{"a":{"b":[1,2,3]},"c":"x","d/e":2}""")]
    [InlineData("""[{"op":"move","from":"/c","path":"/z"}]""", """{"a":{"b":[1,2,3]},"d/e":1,"z":"x"}""")]
    [InlineData("""[{"op":"copy","from":"/a/b/0","path":"/y"},{"op":"test","path":"/y","value":1}]""", """{"a":{"b":[1,2,3]},"c":"x","d/e":1,"y":1}""")]
    public void Apply_Operation_ChangesTheDocument(string patch, string expected)
    {
        JsonPatch.Apply(Doc(), JsonNode.Parse(patch)).ToJsonString().ShouldBe(expected);
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/nope"}]""", 422)]
    [InlineData("""[{"op":"test","path":"/c","value":"y"}]""", 422)]
    [InlineData("""[{"op":"jump","path":"/c"}]""", 400)]
    [InlineData("""{"op":"add"}""", 400)]
    public void Apply_BadOperation_ThrowsAStatus(string patch, int code)
    {
        Should.Throw<ApiException>(() => JsonPatch.Apply(Doc(), JsonNode.Parse(patch))).Status.Code.ShouldBe(code);
    }
}
