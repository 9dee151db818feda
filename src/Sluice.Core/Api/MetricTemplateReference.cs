using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>
/// KubeVela's <c>templateRef</c> (a Kubernetes ObjectReference): <c>{kind: MetricTemplate, name}</c>. Without a
/// namespace the template is looked for in the rollout's namespace, then in <see cref="MetricTemplate.SystemNamespace"/>,
/// where the ready-made ones live.
/// </summary>
public sealed record MetricTemplateReference
{
    public string? Kind { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public string? ApiVersion { get; init; }

    /// <summary>The rest of an ObjectReference (uid, resourceVersion, fieldPath), kept as it came.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}
