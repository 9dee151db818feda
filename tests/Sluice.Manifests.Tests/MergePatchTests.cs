using System.Text.Json.Nodes;
namespace Sluice.Manifests.Tests;

public sealed class MergePatchTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"c":2,"d":3}}""", """{"b":{"c":null,"e":4}}""", """{"a":1,"b":{"d":3,"e":4}}""")]
    [InlineData("""{"list":[1,2]}""", """{"list":[3]}""", """{"list":[3]}""")]
    [InlineData("""{"a":{"b":1}}""", """{"a":"flat"}""", """{"a":"flat"}""")]
    [InlineData("""{"a":1}""", """{"b":{"c":{"d":null}}}""", """{"a":1,"b":{"c":{}}}""")]
    public void Apply_Rfc7386Cases_GiveTheExpectedDocument(string target, string patch, string expected)
    {
        MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch))!.ToJsonString().ShouldBe(expected);
    }
}
