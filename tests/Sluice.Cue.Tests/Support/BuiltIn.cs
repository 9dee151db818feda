using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;

namespace Sluice.Cue.Tests.Support;

/// <summary>Renders the built-in definitions of deploy/definitions for tests.</summary>
internal static class BuiltIn
{
    public static readonly RenderContext Context = new("api", "shop", "prod", "shop-v2", 2);

    public static string[] Names { get; } = ["webservice", "worker", "clonesetservice", "statefulservice", "daemon"];

    /// <summary>Renders a built-in component definition with built-in traits: (type, properties JSON) in order.</summary>
    public static CueResult<RenderedComponent> RenderWithTraits(string definition, string propertiesJson, params (string Type, string PropertiesJson)[] traits) =>
        ComponentRenderer.Render(
            new DefinitionTemplate(definition, TestFiles.Template(TestFiles.BuiltInDefinition(definition)), JsonNode.Parse(propertiesJson)!.AsObject()),
            [.. traits.Select(t => new DefinitionTemplate(t.Type, TestFiles.Template(TestFiles.BuiltInDefinition(t.Type)), JsonNode.Parse(t.PropertiesJson)!.AsObject()))],
            Context);

    public static CueResult<RenderedComponent> Render(string definition, string propertiesJson) =>
        ComponentRenderer.Render(definition, TestFiles.Template(TestFiles.BuiltInDefinition(definition)), JsonNode.Parse(propertiesJson)!.AsObject(), Context);

    /// <summary>Asserts the workload and the extra resources, each as a whole document.</summary>
    public static void ShouldRender(string definition, string propertiesJson, string expectedOutput, IReadOnlyDictionary<string, string>? expectedOutputs = null)
    {
        var result = Render(definition, propertiesJson);
        result.Error.ShouldBeNull();
        JsonAssert.Equal(JsonNode.Parse(expectedOutput), result.Value.Output);
        result.Value.Outputs.Keys.Order().ShouldBe((expectedOutputs?.Keys ?? []).Order());
        foreach (var (name, expected) in expectedOutputs ?? new Dictionary<string, string>())
        {
            JsonAssert.Equal(JsonNode.Parse(expected), result.Value.Outputs[name]);
        }
    }
}
