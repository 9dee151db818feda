using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Store;

/// <summary>The object as it was removed, or as it lingers with a deletionTimestamp until its finalizers are gone.</summary>
public sealed record DeleteResult(JsonObject Object, bool Removed);
