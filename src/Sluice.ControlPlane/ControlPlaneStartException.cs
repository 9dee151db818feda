namespace Sluice.ControlPlane;

/// <summary>The control plane could not start; the message says why and what to do.</summary>
public sealed class ControlPlaneStartException(string message, Exception? inner = null) : Exception(message, inner);
