namespace Sluice.ControlPlane.Store;

/// <summary>
/// Kubernetes DeleteOptions: propagation policy (Background by default), preconditions, and for pods the grace period
/// (null: the pod's <c>terminationGracePeriodSeconds</c>, 30 by default; 0: removed at once).
/// </summary>
public sealed record DeleteOptions(
    string? PropagationPolicy = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false,
    long? GracePeriodSeconds = null)
{
    public static DeleteOptions Default { get; } = new();
}
