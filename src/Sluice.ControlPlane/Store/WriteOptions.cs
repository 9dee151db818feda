namespace Sluice.ControlPlane.Store;

/// <summary>
/// Options of a write: <c>dryRun=All</c> validates and returns the result without storing it;
/// <c>fieldValidation=Strict</c> rejects fields a custom resource's schema does not declare
/// (otherwise they are dropped, as kube-apiserver prunes them).
/// </summary>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null, string? FieldValidation = null)
{
    public static WriteOptions Default { get; } = new();
}
