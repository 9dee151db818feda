using System.Text.Json.Nodes;

namespace Sluice.Simulator;

/// <summary>What the kubelet does to a pod now: the status to write (null when nothing changes) and when to look again.</summary>
internal sealed record KubeletStep(JsonObject? Status, DateTimeOffset? WakeAt);
