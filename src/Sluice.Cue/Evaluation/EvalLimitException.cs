namespace Sluice.Cue.Evaluation;

/// <summary>Internal signal that evaluation exceeded its depth or step budget.</summary>
internal sealed class EvalLimitException(string message) : Exception(message);
