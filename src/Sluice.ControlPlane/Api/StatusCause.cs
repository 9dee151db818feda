namespace Sluice.ControlPlane.Api;

/// <summary>One cause of a failed request, as in a Kubernetes <c>Status.details.causes</c> entry.</summary>
public sealed record StatusCause(string Reason, string Message, string Field);
