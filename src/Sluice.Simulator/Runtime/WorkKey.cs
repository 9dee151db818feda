namespace Sluice.Simulator.Runtime;

/// <summary>One object to reconcile: the level-triggered unit of work (one worker at a time per key).</summary>
internal sealed record WorkKey(WorkKind Kind, string Namespace, string Name);
