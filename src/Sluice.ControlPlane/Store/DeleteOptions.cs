namespace Sluice.ControlPlane.Store;

/// <summary>Kubernetes DeleteOptions: propagation policy (Background by default) and preconditions.</summary>
public sealed record DeleteOptions(
    string? PropagationPolicy = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false)
{
    public static DeleteOptions Default { get; } = new();
}
