using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// One computed change waiting for the group committer: the object's new state (null when it is
/// removed) at resourceVersion <see cref="ResourceVersion"/>, as stored in memory and as the JSON
/// text (UTF-8) written to SQLite (serialized once, by the writer, so the committer only writes), and the
/// watch event to publish once the change is durable.
/// </summary>
internal sealed record StagedWrite(GroupResource Resource, string Namespace, string Name, long ResourceVersion, JsonObject? Next, byte[]? Body, WatchEvent Event)
{
    /// <summary>The uid the object had before this change (removed from the uid index when the object goes).</summary>
    public string? PreviousUid { get; init; }
}
