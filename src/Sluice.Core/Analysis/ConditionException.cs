namespace Sluice.Core.Analysis;

/// <summary>A condition that could not be evaluated over a measurement's value (a type mismatch, a missing key).</summary>
public sealed class ConditionException(string message) : Exception(message);
