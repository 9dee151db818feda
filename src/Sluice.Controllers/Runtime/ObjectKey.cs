using System.Text.Json.Nodes;

namespace Sluice.Controllers.Runtime;

/// <summary>namespace/name, the key of an object in caches and work queues.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(JsonObject obj) =>
        new(obj["metadata"]?["namespace"]?.GetValue<string>() ?? string.Empty, obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty);

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
