using System.Text.Json.Nodes;

namespace Sluice.Controllers.Kube;

/// <summary>One watch event: ADDED, MODIFIED, DELETED, BOOKMARK (ERROR is raised as a <see cref="KubeApiException"/>).</summary>
public sealed record KubeWatchEvent(string Type, JsonObject Object)
{
    public string? ResourceVersion => Object["metadata"]?["resourceVersion"]?.GetValue<string>();
}
