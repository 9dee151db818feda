using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>A StatefulSet reconcile: revision to create, revisions to delete, pods to create and delete, status, next look.</summary>
internal sealed record StatefulSetPlan(
    JsonObject? CreateRevision,
    IReadOnlyList<JsonObject> DeleteRevisions,
    IReadOnlyList<JsonObject> CreatePods,
    IReadOnlyList<JsonObject> DeletePods,
    JsonObject Status,
    DateTimeOffset? WakeAt);
