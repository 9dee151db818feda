namespace Sluice.ControlPlane.Store;

/// <summary>Options of a write: <c>dryRun=All</c> validates and returns the result without storing it.</summary>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null)
{
    public static WriteOptions Default { get; } = new();
}
