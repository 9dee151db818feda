using System.Text.Json.Nodes;

namespace Sluice.Cue.Rendering;

/// <summary>One resource of a trait's <c>outputs</c>: the trait's type, the name in <c>outputs</c>, and the resource.</summary>
public sealed record RenderedTraitOutput(string TraitType, string Name, JsonObject Object);
