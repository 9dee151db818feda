using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Runtime;

/// <summary>Objects as a watch cache holds them: read without a request, a moment behind the server at most.</summary>
public interface IObjectReader
{
    /// <summary>A copy of the object, or null when the cache does not hold it.</summary>
    JsonObject? Get(ResourceKind kind, string? ns, string name);

    /// <summary>Copies of the objects of <paramref name="kind"/> in <paramref name="ns"/> (null: every namespace the cache holds).</summary>
    IReadOnlyList<JsonObject> List(ResourceKind kind, string? ns);
}
