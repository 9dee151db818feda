using Sluice.Core.Api;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine;

/// <summary>
/// What a reconcile does: apply <see cref="Intents"/> in order, then write <see cref="Status"/> once,
/// record <see cref="Events"/>, and look again after <see cref="RequeueAfter"/> (or on the next watch event).
/// </summary>
public sealed record RolloutDecision
{
    public required AppRolloutStatus Status { get; init; }

    public IReadOnlyList<WorkloadIntent> Intents { get; init; } = [];

    /// <summary>What to ask of the routers, applied after <see cref="Intents"/>; empty when the plan routes no traffic.</summary>
    public IReadOnlyList<TrafficIntent> TrafficIntents { get; init; } = [];

    /// <summary>What to do about the batch's AnalysisRun, applied after the traffic intents.</summary>
    public IReadOnlyList<AnalysisIntent> AnalysisIntents { get; init; } = [];

    public IReadOnlyList<RecordedEvent> Events { get; init; } = [];

    /// <summary>The transitions taken, in order.</summary>
    public IReadOnlyList<Transition> Transitions { get; init; } = [];

    /// <summary>Look again after this long even without a watch event (a deadline, a webhook retry).</summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>Webhooks to call before deciding again; the status and intents stop short of them.</summary>
    public WebhookGate? Gate { get; init; }

    /// <summary>The rollout is being deleted and is done with its workload: remove the finalizer.</summary>
    public bool RemoveFinalizer { get; init; }

    /// <summary>What the rollout is waiting for, for people (e.g. "2 of 3 upgraded pods ready, 0 may be unavailable").</summary>
    public string? WaitingFor { get; init; }
}
