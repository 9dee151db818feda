using System.Text.Json.Nodes;
using Sluice.Controllers.Rollouts;

namespace Sluice.Controllers.Tests.Rollouts;

public class AppRolloutReconcilerTests
{
    private static JsonObject Status(int upgraded, int ready, string batchState = "batchInRolling") => new()
    {
        ["rollingState"] = "rollingInBatches",
        ["batchRollingState"] = batchState,
        ["currentBatch"] = 0,
        ["upgradedReplicas"] = upgraded,
        ["upgradedReadyReplicas"] = ready,
    };

    [Fact]
    public void OnlyCountsDiffer_PodCountsAlone_IsTrue() =>
        AppRolloutReconciler.OnlyCountsDiffer(Status(1, 0), Status(2, 1)).ShouldBeTrue();

    [Fact]
    public void OnlyCountsDiffer_AStateChangeWithTheCounts_IsFalse() =>
        AppRolloutReconciler.OnlyCountsDiffer(Status(1, 0), Status(2, 2, "batchReady")).ShouldBeFalse();

    [Fact]
    public void OnlyCountsDiffer_NoStatusYet_IsFalse() =>
        AppRolloutReconciler.OnlyCountsDiffer(null, Status(0, 0)).ShouldBeFalse();
}
