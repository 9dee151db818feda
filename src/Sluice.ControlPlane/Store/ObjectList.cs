using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Store;

/// <summary>A consistent list: the matching objects and the store's resourceVersion they were read at.</summary>
public sealed record ObjectList(IReadOnlyList<JsonObject> Items, long ResourceVersion);
