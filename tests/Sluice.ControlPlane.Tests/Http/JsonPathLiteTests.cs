using System.Text.Json.Nodes;
using Sluice.ControlPlane.Http;

namespace Sluice.ControlPlane.Tests.Http;

public sealed class JsonPathLiteTests
{
    private static readonly JsonNode Obj = JsonNode.Parse("""
        {"spec":{"components":[{"name":"a"},{"name":"b"}]},"metadata":{"annotations":{"x.io/desc":"hello"}}}
        """)!;

    [Theory]
    [InlineData(".spec.components[1].name", "\"b\"")]
    [InlineData("{.spec.components[0].name}", "\"a\"")]
    [InlineData(".metadata.annotations['x.io/desc']", "\"hello\"")]
    public void Evaluate_SupportedPaths_FindTheValue(string path, string expected)
    {
        JsonPathLite.Evaluate(Obj, path)!.ToJsonString().ShouldBe(expected);
    }

    [Theory]
    [InlineData(".status.missing")]
    [InlineData(".spec.components[5].name")]
    public void Evaluate_AbsentValue_GivesNull(string path)
    {
        JsonPathLite.Evaluate(Obj, path).ShouldBeNull();
    }
}
