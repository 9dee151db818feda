using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.Bench.Common;

/// <summary>One object by resource, namespace and name: what a recorded version or an acknowledged write is of.</summary>
public sealed record ObjectRef(GroupResource Resource, string? Namespace, string Name)
{
    public static ObjectRef Of(GroupResource resource, JsonObject obj) =>
        new(resource, obj["metadata"]?["namespace"]?.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());

    public override string ToString() => $"{Resource} {Namespace}/{Name}";
}
