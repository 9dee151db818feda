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
    DateTimeOffset Now);
