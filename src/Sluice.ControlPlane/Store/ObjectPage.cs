using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// One chunk of a list: its items, the resourceVersion the whole list is consistent at, the token for the next chunk
/// (null on the last), and how many items remain after it (null when a selector makes the count unknown).
/// </summary>
public sealed record ObjectPage(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
