using System.Text.Json.Nodes;

namespace Sluice.Cue.Rendering;

/// <summary>
/// A rendered component: <see cref="Output"/> is the workload, with its traits' patches applied; <see cref="Outputs"/>
/// are the definition's extra resources (for example a Service), by their name in the template's <c>outputs</c>;
/// <see cref="TraitOutputs"/> the resources its traits add, in trait order.
/// </summary>
public sealed record RenderedComponent(JsonObject Output, IReadOnlyDictionary<string, JsonObject> Outputs)
{
    public IReadOnlyList<RenderedTraitOutput> TraitOutputs { get; init; } = [];
}
