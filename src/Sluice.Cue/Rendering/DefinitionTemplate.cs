using System.Text.Json.Nodes;

namespace Sluice.Cue.Rendering;

/// <summary>A definition's CUE template and the properties a component or trait gives it: <paramref name="Name"/> is the type (<c>webservice</c>, <c>scaler</c>).</summary>
public sealed record DefinitionTemplate(string Name, string Template, JsonObject? Properties = null);
