using System.Text.Json.Nodes;
using Sluice.Cli.Tests.Support;

namespace Sluice.Cli.Tests.Commands;

/// <summary>
/// <c>sluice rollout pause|resume|promote|abort|retry|undo</c> against an in-process plane without controllers:
/// each test puts an AppRollout in a state and checks the exact change made through the API, or the refusal.
/// </summary>
public sealed class RolloutCommandTests(PlaneFixture plane) : IClassFixture<PlaneFixture>
{
    private const string Spec = """
        sourceAppRevisionName: app-v1
        targetAppRevisionName: app-v2
        rolloutPlan:
          rolloutBatches:
            - replicas: 1
            - replicas: 2
            - replicas: 2
        """;

    private const string SpecWithPartition = Spec + "\n  batchPartition: 1";

    private const string Rolling = """
        rollingState: rollingInBatches
        batchRollingState: batchVerifying
        currentBatch: 0
        LastSourceAppRevision: app-v1
        lastTargetAppRevision: app-v2
        rolloutOriginalSize: 5
        rolloutTargetSize: 5
        """;

    private const string Succeeded = """
        rollingState: rolloutSucceed
        lastTargetAppRevision: app-v2
        rolloutTargetSize: 5
        """;

    private const string Failed = """
        rollingState: rolloutFailed
        batchRollingState: batchVerifyFailed
        lastTargetAppRevision: app-v2
        rolloutTargetSize: 5
        """;

    private static string NewName() => "r-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Pause_RollingRolloutWithOptionsBeforeTheVerb_SetsPausedTrue()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling);

        var (code, console) = await FakeConsole.RunAsync("--kubeconfig", plane.Kubeconfig, "-n", "default", "rollout", "pause", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        (await plane.GetRolloutAsync(name))["spec"]!["rolloutPlan"]!["paused"]!.GetValue<bool>().ShouldBeTrue();
        console.Stderr.ShouldBe($"approllout/{name} paused: spec.rolloutPlan.paused=true\n");
        console.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Pause_AlreadyPaused_RefusesWithNotApplicable()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec + "\n  paused: true", Rolling);

        var (code, console) = await RunAsync("rollout", "pause", name);

        code.ShouldBe(ExitCodes.NotApplicable);
        console.Stderr.ShouldBe($"error: approllout/{name} is already paused\n");
    }

    [Fact]
    public async Task Pause_SucceededRollout_RefusesWithNotApplicable()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Succeeded);

        var (code, console) = await RunAsync("rollout", "pause", name);

        code.ShouldBe(ExitCodes.NotApplicable);
        console.Stderr.ShouldContain("has finished (rolloutSucceed): there is nothing to pause");
        (await plane.GetRolloutAsync(name))["spec"]!["rolloutPlan"]!["paused"].ShouldBeNull();
    }

    [Fact]
    public async Task Pause_NoSuchRollout_ExitsNotFound()
    {
        var (code, console) = await RunAsync("rollout", "pause", "nosuch");

        code.ShouldBe(ExitCodes.NotFound);
        console.Stderr.ShouldBe("error: approllout/nosuch not found in namespace default\n");
    }

    [Fact]
    public async Task Resume_PausedRollout_SetsPausedFalse()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec + "\n  paused: true", Rolling);

        var (code, console) = await RunAsync("rollout", "resume", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        (await plane.GetRolloutAsync(name))["spec"]!["rolloutPlan"]!["paused"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Resume_NotPaused_RefusesWithNotApplicable()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling);

        var (code, console) = await RunAsync("rollout", "resume", name);

        code.ShouldBe(ExitCodes.NotApplicable);
        console.Stderr.ShouldBe($"error: approllout/{name} is not paused\n");
    }

    [Fact]
    public async Task Promote_PartitionOne_RaisesItToTwo()
    {
        var name = NewName();
        await plane.RolloutAsync(name, SpecWithPartition, Rolling);

        var (code, console) = await RunAsync("rollout", "promote", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        (await plane.GetRolloutAsync(name))["spec"]!["rolloutPlan"]!["batchPartition"]!.GetValue<int>().ShouldBe(2);
        console.Stderr.ShouldContain("batchPartition 1 -> 2");
    }

    [Fact]
    public async Task PromoteFull_PartitionOne_RemovesIt()
    {
        var name = NewName();
        await plane.RolloutAsync(name, SpecWithPartition, Rolling);

        var (code, console) = await RunAsync("rollout", "promote", name, "--full");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var plan = (await plane.GetRolloutAsync(name))["spec"]!["rolloutPlan"]!.AsObject();
        plan.ContainsKey("batchPartition").ShouldBeFalse();
        plan["rolloutBatches"]!.AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public async Task Promote_BatchHeldForPromotion_SetsTheAnnotationForThisAttemptAndBatch()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, """
            rollingState: rollingInBatches
            batchRollingState: batchAnalyzing
            currentBatch: 1
            attempt: 2
            lastTargetAppRevision: app-v2
            rolloutTargetSize: 5
            conditions:
              - type: WaitingForPromotion
                status: "True"
                reason: Inconclusive
                message: the analysis of batch 2 is inconclusive
            """);

        var (code, console) = await RunAsync("rollout", "promote", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var rollout = await plane.GetRolloutAsync(name);
        rollout["metadata"]!["annotations"]!["rollout.sluice.dev/promoted-batch"]!.GetValue<string>().ShouldBe("2/1");
        rollout["spec"]!["rolloutPlan"]!.AsObject().ContainsKey("batchPartition").ShouldBeFalse();
        console.Stderr.ShouldBe($"approllout/{name} promoted: batch 2 goes on (rollout.sluice.dev/promoted-batch=2/1)\n");
    }

    [Fact]
    public async Task Promote_NoPartition_RefusesWithNotApplicable()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling);

        var (code, console) = await RunAsync("rollout", "promote", name);

        code.ShouldBe(ExitCodes.NotApplicable);
        console.Stderr.ShouldBe($"error: approllout/{name} has no spec.rolloutPlan.batchPartition and holds no batch for promotion: every batch may already roll\n");
    }

    [Fact]
    public async Task Abort_RollingRollout_SetsTheAbortAnnotation()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling);

        var (code, console) = await RunAsync("rollout", "abort", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        (await plane.GetRolloutAsync(name))["metadata"]!["annotations"]!["rollout.sluice.dev/abort"]!.GetValue<string>().ShouldBe("true");
        console.Stderr.ShouldContain("onFailure: Rollback applies");
    }

    [Fact]
    public async Task Abort_FailedRollout_RefusesWithNotApplicable()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Failed);

        var (code, console) = await RunAsync("rollout", "abort", name);

        code.ShouldBe(ExitCodes.NotApplicable);
        console.Stderr.ShouldContain("has finished (rolloutFailed): there is nothing to abort");
    }

    [Fact]
    public async Task Retry_FailedAbortedRollout_ClearsStatusAndTheAbortAnnotation()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Failed, annotations: "rollout.sluice.dev/abort: \"true\"\nkeep: me");

        var (code, console) = await RunAsync("rollout", "retry", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var rollout = await plane.GetRolloutAsync(name);
        (rollout["status"] as JsonObject ?? []).Count.ShouldBe(0);
        var annotations = rollout["metadata"]!["annotations"]!.AsObject();
        annotations.ContainsKey("rollout.sluice.dev/abort").ShouldBeFalse();
        annotations["keep"]!.GetValue<string>().ShouldBe("me");
    }

    [Fact]
    public async Task Retry_RollingRollout_RefusesWithNotApplicable()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling);

        var (code, console) = await RunAsync("rollout", "retry", name);

        code.ShouldBe(ExitCodes.NotApplicable);
        console.Stderr.ShouldContain("has not failed (rollingInBatches)");
        (await plane.GetRolloutAsync(name))["status"]!["rollingState"]!.GetValue<string>().ShouldBe("rollingInBatches");
    }

    [Fact]
    public async Task Undo_SucceededRollout_SwapsSourceAndTarget()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Succeeded);

        var (code, console) = await RunAsync("rollout", "undo", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var spec = (await plane.GetRolloutAsync(name))["spec"]!;
        spec["sourceAppRevisionName"]!.GetValue<string>().ShouldBe("app-v2");
        spec["targetAppRevisionName"]!.GetValue<string>().ShouldBe("app-v1");
    }

    [Fact]
    public async Task Undo_NoSource_RefusesWithNotApplicable()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec.Replace("sourceAppRevisionName: app-v1\n", "", StringComparison.Ordinal), Succeeded);

        var (code, console) = await RunAsync("rollout", "undo", name);

        code.ShouldBe(ExitCodes.NotApplicable);
        console.Stderr.ShouldContain("has no source revision");
    }

    [Fact]
    public async Task Undo_RollingRollout_SwapsSourceAndTargetAndDropsThePartition()
    {
        var name = NewName();
        await plane.RolloutAsync(name, SpecWithPartition, Rolling);

        var (code, console) = await RunAsync("rollout", "undo", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stderr.ShouldContain("(it was rollingInBatches; pods already on app-v1 stay there)");
        console.Stderr.ShouldContain("batchPartition (1) removed");
        var spec = (await plane.GetRolloutAsync(name))["spec"]!;
        spec["sourceAppRevisionName"]!.GetValue<string>().ShouldBe("app-v2");
        spec["targetAppRevisionName"]!.GetValue<string>().ShouldBe("app-v1");
        spec["rolloutPlan"]!["batchPartition"].ShouldBeNull();
    }

    [Fact]
    public async Task Pause_OtherNamespaceAfterTheVerb_ChangesTheRolloutThere()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling, ns: "team-a");

        var (code, console) = await FakeConsole.RunAsync("rollout", "pause", name, "--namespace", "team-a", "--kubeconfig", plane.Kubeconfig);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        (await plane.GetRolloutAsync(name, "team-a"))["spec"]!["rolloutPlan"]!["paused"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Status_Succeeded_ExitsZero()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Succeeded + "\nobservedGeneration: 1");

        var (code, console) = await RunAsync("rollout", "status", name, "--timeout", "10s");

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stderr.ShouldBe($"approllout/{name} rolloutSucceed: 0/5 upgraded, 0 ready, app-v1 -> app-v2\n");
    }

    [Fact]
    public async Task Status_Failed_ExitsRolloutFailed()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Failed + "\nobservedGeneration: 1");

        var (code, _) = await RunAsync("rollout", "status", name, "--timeout", "10s");

        code.ShouldBe(ExitCodes.RolloutFailed);
    }

    [Fact]
    public async Task Status_StillRolling_ExitsTimedOut()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Rolling + "\nobservedGeneration: 1");

        var (code, console) = await RunAsync("rollout", "status", name, "--timeout", "600ms");

        code.ShouldBe(ExitCodes.TimedOut);
        console.Stderr.ShouldContain("rollingInBatches batch 1/3 batchVerifying");
        console.Stderr.ShouldContain("did not end within");
    }

    [Fact]
    public async Task Status_NoSuchRollout_ExitsNotFound()
    {
        var (code, _) = await RunAsync("rollout", "status", "nosuch", "--timeout", "5s");

        code.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Status_BadTimeout_ExitsUsage()
    {
        var (code, console) = await RunAsync("rollout", "status", "x", "--timeout", "soon");

        code.ShouldBe(ExitCodes.Usage);
        console.Stderr.ShouldContain("--timeout: \"soon\" is not a duration");
    }

    [Fact]
    public async Task Watch_SucceededRollout_DrawsOneFrameAndExitsZero()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Succeeded + "\nobservedGeneration: 1");

        var (code, console) = await RunAsync("rollout", "watch", name);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stderr.ShouldStartWith($"Name:       {name} (default)\nStatus:     ✔ rolloutSucceed\n");
        console.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Watch_FailedRollout_ExitsRolloutFailed()
    {
        var name = NewName();
        await plane.RolloutAsync(name, Spec, Failed + "\nobservedGeneration: 1");

        var (code, console) = await RunAsync("rollout", "watch", name);

        code.ShouldBe(ExitCodes.RolloutFailed, console.Stderr);
        console.Stderr.ShouldContain("✖ rolloutFailed");
    }

    [Fact]
    public async Task Watch_NoSuchRollout_ExitsNotFound()
    {
        var (code, _) = await RunAsync("rollout", "watch", "nosuch");

        code.ShouldBe(ExitCodes.NotFound);
    }

    private Task<(int Code, FakeConsole Console)> RunAsync(params string[] args) =>
        FakeConsole.RunAsync([.. args, "--kubeconfig", plane.Kubeconfig]);
}
