using System.Text.Json.Nodes;
using Sluice.Controllers.Analysis;
using Sluice.Core.Api;

namespace Sluice.Controllers.Tests.Analysis;

public class AnalysisRunPrunerTests
{
    private static JsonObject Run(string name, string rollout, int minute, string? phase) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["creationTimestamp"] = $"2026-01-01T00:{minute:00}:00Z",
            ["labels"] = new JsonObject { [AnalysisRun.RolloutLabel] = rollout },
        },
        ["spec"] = new JsonObject(),
        ["status"] = phase is null ? null : new JsonObject { ["phase"] = phase },
    };

    [Fact]
    public async Task PruneAsync_KeepsTheNewestAndAnyStillRunning_OfThatRolloutOnly()
    {
        var api = new FakeKubeApi();
        api.Put(AnalysisKinds.AnalysisRun, Run("app-0-1", "app", 1, "Successful"));
        api.Put(AnalysisKinds.AnalysisRun, Run("app-1-1", "app", 2, "Failed"));
        api.Put(AnalysisKinds.AnalysisRun, Run("app-0-2", "app", 3, null));
        api.Put(AnalysisKinds.AnalysisRun, Run("app-1-2", "app", 4, "Successful"));
        api.Put(AnalysisKinds.AnalysisRun, Run("other-0-1", "other", 0, "Successful"));

        var pruned = await new AnalysisRunPruner(api).PruneAsync("default", "app", keep: 1, CancellationToken.None);

        pruned.ShouldBe(["app-1-1", "app-0-1"]);
        api.Peek(AnalysisKinds.AnalysisRun, "default", "app-0-2").ShouldNotBeNull();
        api.Peek(AnalysisKinds.AnalysisRun, "default", "app-1-2").ShouldNotBeNull();
        api.Peek(AnalysisKinds.AnalysisRun, "default", "other-0-1").ShouldNotBeNull();
        api.Peek(AnalysisKinds.AnalysisRun, "default", "app-0-1").ShouldBeNull();
    }
}
