using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Observing;

/// <summary>
/// What an observer outside the reconciler reads from an AppRollout: its plan's shape and where its status stands.
/// Derived from the object alone, so any process (a new leader too) derives the same.
/// </summary>
public sealed record RolloutFacts
{
    public required ObjectKey Key { get; init; }

    /// <summary>batches, canary (traffic routing) or blueGreen.</summary>
    public required string Strategy { get; init; }

    /// <summary>gatewayAPI, istio, nginx, service (blue/green or Services alone), or none.</summary>
    public required string Router { get; init; }

    public string Source { get; init; } = "";

    public string Target { get; init; } = "";

    /// <summary>The rolling state as the API writes it, "" before the first status.</summary>
    public string State { get; init; } = "";

    public string BatchState { get; init; } = "";

    /// <summary>0-based.</summary>
    public int CurrentBatch { get; init; }

    public int Batches { get; init; }

    /// <summary>When this attempt passed (or failed) verification: the start of the rollout, as its status records it.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>succeeded, failed or aborted once the rollout has ended, else null.</summary>
    public string? Outcome { get; init; }

    /// <summary>When it ended (the terminal condition's transition), once it has.</summary>
    public DateTimeOffset? Ended { get; init; }

    public bool IsTerminal => State is "rolloutSucceed" or "rolloutFailed";

    /// <summary>The facts of an AppRollout object; null when it is not one the API could have stored.</summary>
    public static RolloutFacts? Of(JsonObject obj)
    {
        AppRollout rollout;
        try
        {
            rollout = SluiceJson.Deserialize<AppRollout>(obj);
        }
        catch (JsonException)
        {
            return null;
        }

        var plan = rollout.Spec.RolloutPlan;
        var status = rollout.Status;
        var failed = status?.Condition(ConditionTypes.Failed);
        var succeeded = status?.Condition(ConditionTypes.Succeeded);
        var state = status?.RollingState is { } s ? ApiEnumJsonConverter<RollingState>.NameOf(s) : "";
        var outcome = status?.RollingState switch
        {
            RollingState.RolloutSucceed => "succeeded",
            RollingState.RolloutFailed => failed?.Reason == "Aborted" ? "aborted" : "failed",
            _ => null,
        };
        return new RolloutFacts
        {
            Key = ObjectKey.Of(obj),
            Strategy = plan?.BlueGreen is not null ? "blueGreen" : plan?.TrafficRouting is not null ? "canary" : "batches",
            Router = RouterOf(plan),
            Source = rollout.Spec.SourceAppRevisionName ?? "",
            Target = rollout.Spec.TargetAppRevisionName ?? "",
            State = state,
            BatchState = status?.BatchRollingState is { } b ? ApiEnumJsonConverter<BatchRollingState>.NameOf(b) : "",
            CurrentBatch = status?.CurrentBatch ?? 0,
            Batches = plan?.RolloutBatches?.Count ?? plan?.NumBatches ?? 0,
            Started = status?.Condition(ConditionTypes.SpecVerifying)?.LastTransitionTime
                ?? status?.Conditions?.Where(c => c.LastTransitionTime is not null).Min(c => c.LastTransitionTime),
            Outcome = outcome,
            Ended = outcome is null ? null : (outcome == "succeeded" ? succeeded : failed)?.LastTransitionTime,
        };
    }

    private static string RouterOf(RolloutPlan? plan) => plan switch
    {
        { BlueGreen: not null } => "service",
        { TrafficRouting: { } t } when t.GatewayApi is not null => "gatewayAPI",
        { TrafficRouting: { } t } when t.Istio is not null => "istio",
        { TrafficRouting: { } t } when t.Nginx is not null => "nginx",
        { TrafficRouting: not null } => "service",
        _ => "none",
    };
}
