using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// A CloneSet reconcile: revision to create, revisions to delete, pods to create and delete, pods to update in
/// place (whole pods carrying the resourceVersion they were read at), status, next look.
/// </summary>
internal sealed record CloneSetPlan(
    JsonObject? CreateRevision,
    IReadOnlyList<JsonObject> DeleteRevisions,
    IReadOnlyList<JsonObject> CreatePods,
    IReadOnlyList<JsonObject> DeletePods,
    IReadOnlyList<JsonObject> UpdatePods,
    JsonObject Status,
    DateTimeOffset? WakeAt);
