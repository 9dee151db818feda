using System.Text.Json.Nodes;

namespace Sluice.Cue.Rendering;

/// <summary>
/// A rendered component: <see cref="Output"/> is the workload; <see cref="Outputs"/> are the
/// extra resources (for example a Service), by their name in the template's <c>outputs</c>.
/// </summary>
public sealed record RenderedComponent(JsonObject Output, IReadOnlyDictionary<string, JsonObject> Outputs);
