namespace Sluice.Cue.Evaluation;

/// <summary>Where a vertex is in its evaluation; Evaluating guards against cycles.</summary>
internal enum VertexState
{
    Unevaluated,
    Evaluating,
    Done,
}
