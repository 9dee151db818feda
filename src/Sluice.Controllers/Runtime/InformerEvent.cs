using System.Text.Json.Nodes;

namespace Sluice.Controllers.Runtime;

/// <summary>A change the informer saw; <see cref="Object"/> is the cached copy: read it, do not change it.</summary>
public sealed record InformerEvent(InformerEventType Type, JsonObject Object);

public enum InformerEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>The periodic safety-net resync: the object did not necessarily change.</summary>
    Resync,
}
