using System.Text.Json.Nodes;
using Sluice.Controllers.Operations;
using Sluice.Core.Api;
using Sluice.Core.Operations;

namespace Sluice.Dashboard.Panels;

/// <summary>Everything a rollout's panels render from, read from the watch cache at one moment.</summary>
internal sealed record RolloutPageModel(
    AppRollout Rollout,
    RolloutFacts Facts,
    RolloutSnapshot Snapshot,
    IReadOnlyList<JsonObject> Events,
    DateTimeOffset Now)
{
    /// <summary>The routers, Services (and live share) as observed now; null when the plan routes no traffic.</summary>
    public TrafficPicture? Traffic { get; init; }

    /// <summary>Each router's weight, matches and mirror since the dashboard began showing the rollout, oldest first.</summary>
    public IReadOnlyList<TrafficSample> TrafficHistory { get; init; } = [];

    /// <summary>The rollout's AnalysisRuns, newest first.</summary>
    public IReadOnlyList<AnalysisRun> Runs { get; init; } = [];
}
