using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// One change as a watcher sees it: ADDED, MODIFIED, DELETED or BOOKMARK. <see cref="Object"/> is
/// shared between watchers: treat it as read-only (clone before changing it).
/// </summary>
public sealed record WatchEvent(string Type, GroupResource Resource, long ResourceVersion, JsonObject Object)
{
    internal JsonObject? Previous { get; init; }
}
