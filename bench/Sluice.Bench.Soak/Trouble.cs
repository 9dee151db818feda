namespace Sluice.Bench.Soak;

/// <summary>What a rollout's upgrade meets besides the random faults, which decides how it must end.</summary>
internal enum Trouble
{
    None,
    PodsNeverReady,
    WebhookFails,
    WebhookHangsOnce,
}
