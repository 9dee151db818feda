namespace Sluice.ControlPlane.Resources;

/// <summary>Where a kind keeps the numbers its <c>/scale</c> subresource reads and writes (JSON paths).</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath)
{
    public static ScaleSubresource Standard { get; } = new(".spec.replicas", ".status.replicas", ".status.selector");
}
