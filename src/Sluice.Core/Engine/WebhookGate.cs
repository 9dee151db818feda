using Sluice.Core.Api;

namespace Sluice.Core.Engine;

/// <summary>
/// Webhooks that must pass before the engine takes the next step. The engine stops there; the controller
/// calls them and decides again with the outcome in <see cref="RolloutInput.Gates"/>.
/// </summary>
public sealed record WebhookGate(WebhookType Type, int Batch, RollingState Phase, IReadOnlyList<RolloutWebhook> Webhooks)
{
    /// <summary>Identifies the gate within one reconcile, e.g. "pre-batch-rollout/2".</summary>
    public string Key => GateKey(Type, Batch);

    public static string GateKey(WebhookType type, int batch) => $"{ApiEnumJsonConverter<WebhookType>.NameOf(type)}/{batch}";
}
