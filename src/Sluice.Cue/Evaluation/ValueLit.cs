using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>An already evaluated value in an expression's place: how rendered results (the workload a trait sees
/// as <c>context.output</c>, a builtin's list) go back into an evaluation.</summary>
internal sealed record ValueLit(Value Value) : Expr(new SourcePosition(0, 0));
