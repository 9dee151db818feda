using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>One contribution to a field: an expression and the scope it was written in.</summary>
internal sealed record Conjunct(Expr Expr, Env? Env);
