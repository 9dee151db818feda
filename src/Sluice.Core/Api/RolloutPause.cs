namespace Sluice.Core.Api;

/// <summary>
/// Sluice: hold after a batch's traffic step (bake time, analysis window): <c>{duration: "5m"}</c> holds that long,
/// <c>{}</c> holds until the rollout is promoted (<c>sluice rollout promote</c>).
/// </summary>
public sealed record RolloutPause
{
    /// <summary>A duration such as "30s", "5m" or "1h30m"; absent means until promoted.</summary>
    public string? Duration { get; init; }
}
