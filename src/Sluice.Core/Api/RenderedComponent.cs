using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

/// <summary>A component rendered through its definition and traits: the workload and any extra resources.</summary>
public sealed record RenderedComponent
{
    public required string Name { get; init; }

    /// <summary>The workload, with every trait's patch applied.</summary>
    public required JsonObject Workload { get; init; }

    /// <summary>The definition's extra resources and the traits' (each trait's labelled <c>trait.oam.dev/type</c>).</summary>
    public IReadOnlyList<JsonObject>? Outputs { get; init; }

    /// <summary>The component's revision, <c>&lt;component&gt;-v&lt;N&gt;</c>: a new one whenever the workload's spec changes (KubeVela's <c>context.revision</c>).</summary>
    public string? Revision { get; init; }

    /// <summary>The hash of the workload's spec that names <see cref="Revision"/>.</summary>
    public string? RevisionHash { get; init; }

    /// <summary>The types of the traits applied, in order.</summary>
    public IReadOnlyList<string>? Traits { get; init; }
}
