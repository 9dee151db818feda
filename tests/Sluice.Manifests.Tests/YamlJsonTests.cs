using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.Manifests.Tests;

public class YamlJsonTests
{
    [Theory]
    [InlineData("a: 5", "{\"a\":5}")]
    [InlineData("a: \"5\"", "{\"a\":\"5\"}")]
    [InlineData("a: 10%", "{\"a\":\"10%\"}")]
    [InlineData("a: true", "{\"a\":true}")]
    [InlineData("a: 'true'", "{\"a\":\"true\"}")]
    [InlineData("a: ~", "{\"a\":null}")]
    [InlineData("a:", "{\"a\":null}")]
    [InlineData("a: 1.5", "{\"a\":1.5}")]
    [InlineData("a: -3", "{\"a\":-3}")]
    [InlineData("a: 0x1F", "{\"a\":\"0x1F\"}")]
    [InlineData("a: [1, b]", "{\"a\":[1,\"b\"]}")]
    [InlineData("a: stefanprodan/podinfo:4.0.6", "{\"a\":\"stefanprodan/podinfo:4.0.6\"}")]
    public void Parse_Scalars_FollowTheCoreSchema(string yaml, string json) =>
        YamlJson.Parse(yaml)!.ToJsonString().ShouldBe(json);

    [Fact]
    public void ParseAll_MultiDocument_SkipsEmptyDocuments() =>
        YamlJson.ParseAll("a: 1\n---\n---\nb: 2\n").Select(n => n.ToJsonString()).ShouldBe(["{\"a\":1}", "{\"b\":2}"]);

    [Theory]
    [InlineData("a: [1, 2", "invalid YAML at line 2, column 1: While parsing a flow sequence")]
    [InlineData("a: 1\na: 2\n", "invalid YAML at line 2, column 1: Duplicate key a")]
    [InlineData("? [a]\n: 1\n", "is not a string")]
    public void Parse_Malformed_SaysWhere(string yaml, string message) =>
        Should.Throw<ManifestException>(() => YamlJson.Parse(yaml)).Message.ShouldContain(message);

    [Fact]
    public void Parse_AliasBomb_IsRefused()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 8; i++)
        {
            yaml += $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]\n";
        }

        Should.Throw<ManifestException>(() => YamlJson.Parse(yaml)).Message.ShouldContain("more than");
    }

    [Fact]
    public void ToYaml_QuotesStringsThatWouldChangeType()
    {
        var node = JsonNode.Parse("{\"a\":\"5\",\"b\":\"true\",\"c\":\"10%\",\"d\":5,\"e\":null,\"f\":\"\"}");

        var yaml = YamlJson.ToYaml(node);

        JsonNode.DeepEquals(YamlJson.Parse(yaml), node).ShouldBeTrue(yaml);
    }
}

public class KubeVelaDefinitionTests
{
    private static string Path => System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPaths.Root, "..", "shared", "examples", "third_party", "kubevela", "clonesetDefinition.yaml"));

    [Fact]
    public void Parse_KubeVelaCloneSetDefinition_ReadsUnchanged()
    {
        var definition = YamlJson.Parse(File.ReadAllText(Path))!;

        definition["kind"]!.GetValue<string>().ShouldBe("ComponentDefinition");
        definition["metadata"]!["annotations"]!["definition.oam.dev/description"]!.GetValue<string>()
            .ShouldBe("Describes long-running, scalable, containerized services that have a stable network endpoint to receive external network traffic from customers. If workload type is skipped for any service defined in Appfile, it will be defaulted to `webservice` type.");
        definition["spec"]!["schematic"]!["cue"]!["template"]!.GetValue<string>().ShouldStartWith("output: {\n    apiVersion: \"apps.kruise.io/v1alpha1\"");
    }

    [Theory]
    [InlineData("a:\n  b: \"one\n  two\"\n", "one two")]
    [InlineData("a:\n  b: 'it''s\n  so'\n", "it's so")]
    [InlineData("a:\n  b: \"x \\\" # y\n  z\"\n", "x \" # y z")]
    public void Parse_QuotedContinuationAtKeyIndent_IsAccepted(string yaml, string value) =>
        YamlJson.Parse(yaml)!["a"]!["b"]!.GetValue<string>().ShouldBe(value);

    [Fact]
    public void Parse_GenuinelyBrokenYaml_StillReportsTheFirstError() =>
        Should.Throw<ManifestException>(() => YamlJson.Parse("a: \"unterminated\nb: 1\n")).Message.ShouldStartWith("invalid YAML at line");
}
