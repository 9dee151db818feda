namespace Sluice.Controllers.Analysis;

/// <summary>A provider could not give a value (unreachable, timed out, an error answer, no data): the measurement is an Error, retried.</summary>
public sealed class ProviderException(string message, Exception? inner = null) : Exception(message, inner);
