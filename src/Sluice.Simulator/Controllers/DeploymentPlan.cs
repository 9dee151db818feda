using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// A Deployment reconcile: the ReplicaSet to create, the ReplicaSets to rewrite (replicas, annotations; each
/// carries the resourceVersion it was read at), the ReplicaSets to delete (history limit), the revision to record
/// on the Deployment (null when unchanged), the status to write and when to look again.
/// </summary>
internal sealed record DeploymentPlan(
    JsonObject? CreateReplicaSet,
    IReadOnlyList<JsonObject> UpdateReplicaSets,
    IReadOnlyList<JsonObject> DeleteReplicaSets,
    string? Revision,
    JsonObject Status,
    DateTimeOffset? WakeAt);
