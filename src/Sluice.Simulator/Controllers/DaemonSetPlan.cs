using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>A DaemonSet reconcile: revision to create, revisions to delete, pods to create (bound to nodes) and delete, status, next look.</summary>
internal sealed record DaemonSetPlan(
    JsonObject? CreateRevision,
    IReadOnlyList<JsonObject> DeleteRevisions,
    IReadOnlyList<JsonObject> CreatePods,
    IReadOnlyList<JsonObject> DeletePods,
    JsonObject Status,
    DateTimeOffset? WakeAt);
