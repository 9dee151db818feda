namespace Sluice.Simulator.Runtime;

/// <summary>
/// One object to reconcile: the level-triggered unit of work (one worker at a time per key). A declared kind's object
/// also names its kind (<c>apiVersion/Kind</c>) in <see cref="Declared"/>.
/// </summary>
internal sealed record WorkKey(WorkKind Kind, string Namespace, string Name, string? Declared = null);
