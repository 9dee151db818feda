using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>A Job reconcile: pods to create, pods to delete (a failed Job's active ones), the status to write.</summary>
internal sealed record JobPlan(IReadOnlyList<JsonObject> Create, IReadOnlyList<JsonObject> Delete, JsonObject Status);
