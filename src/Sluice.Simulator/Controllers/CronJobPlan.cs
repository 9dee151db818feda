using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>A CronJob reconcile: the Job to create (if one is due), Jobs to delete (replaced or beyond the history limits), the status, when to look again.</summary>
internal sealed record CronJobPlan(JsonObject? Create, IReadOnlyList<JsonObject> Delete, JsonObject Status, DateTimeOffset? WakeAt);
