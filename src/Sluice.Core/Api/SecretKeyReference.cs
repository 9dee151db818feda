namespace Sluice.Core.Api;

/// <summary>One key of a Secret in the rollout's namespace.</summary>
public sealed record SecretKeyReference
{
    public required string Name { get; init; }

    public required string Key { get; init; }
}
