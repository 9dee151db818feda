using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>A ReplicaSet reconcile: pods to create (from its template), pods to delete, the status to write and when to look again.</summary>
internal sealed record ReplicaSetPlan(IReadOnlyList<JsonObject> Create, IReadOnlyList<JsonObject> Delete, JsonObject Status, DateTimeOffset? WakeAt);
