using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.Cli.Tests.Commands;

public class PlanCommandTests
{
    [Theory]
    [InlineData("--replicas 5 --batches 10%,40%,50%", "1,3,5")]
    [InlineData("--replicas 10 --batches 1,20%,50%,2", "1,3,8,10")]
    [InlineData("--from 0 --to 5 --batches 10%,40%,50%", "1,3,5")]
    [InlineData("--from 10 --to 0 --batches 1,20%,50%,2", "9,7,2,0")]
    public async Task Plan_SpecExamples_GiveTheSpecTargets(string args, string targets)
    {
        var (code, console) = await FakeConsole.RunAsync([.. $"plan {args} -o json".Split(' ')]);

        code.ShouldBe(ExitCodes.Success);
        var json = JsonNode.Parse(console.Stdout)!;
        json["valid"]!.GetValue<bool>().ShouldBeTrue();
        string.Join(',', json["batches"]!.AsArray().Select(b => b!["target"]!.GetValue<int>())).ShouldBe(targets);
    }

    [Fact]
    public async Task Plan_Json_HasExactlyTheDocumentedBatchShape()
    {
        var (_, console) = await FakeConsole.RunAsync("plan", "--replicas", "10", "--batches", "1,20%,50%,2", "-o", "json");

        var first = JsonNode.Parse(console.Stdout)!["batches"]![0]!.ToJsonString();
        first.ShouldBe("{\"index\":0,\"replicas\":\"1\",\"size\":1,\"target\":1}");
        console.Stdout.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public async Task Plan_Partition_ParksAfterBatchOneWithFourUpgraded()
    {
        var (code, console) = await FakeConsole.RunAsync("plan", "--replicas", "5", "--batches", "1,50%,50%", "--partition", "1", "-o", "json");

        code.ShouldBe(ExitCodes.Success);
        var partition = JsonNode.Parse(console.Stdout)!["partition"]!;
        partition["parksAfterBatch"]!.GetValue<int>().ShouldBe(1);
        partition["target"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Plan_Table_ShowsEveryColumnForPeople()
    {
        var (code, console) = await FakeConsole.RunAsync("plan", "--replicas", "5", "--batches", "1,50%,50%", "--partition", "1");

        code.ShouldBe(ExitCodes.Success);
        console.Stdout.ShouldBe("""
            Upgrade of 5 pods in 3 batches (IncreaseFirst)
            BATCH   REPLICAS   PODS   UPGRADED   OLD LEFT
            0       1          1      1          4
            1       50%        3      4          1          <- parks here (batchPartition: 1)
            2       50%        1      5          0
            Parks after batch 1 with 4 pods upgraded until batchPartition is raised.

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_ScaleTable_ShowsTheSize()
    {
        var (_, console) = await FakeConsole.RunAsync("plan", "--from", "10", "--to", "0", "--batches", "1,20%,50%,2");

        console.Stdout.ShouldStartWith("Scale from 10 to 0 pods in 4 batches (IncreaseFirst)\nBATCH   REPLICAS   PODS   SIZE\n0       1          1      9\n");
    }

    [Fact]
    public async Task Plan_InvalidPlan_ExitsTwoAndSaysWhy()
    {
        var (code, console) = await FakeConsole.RunAsync("plan", "--replicas", "5", "--batches", "1,2,1", "-o", "json");

        code.ShouldBe(ExitCodes.Invalid);
        JsonNode.Parse(console.Stdout)!.ToJsonString()
            .ShouldBe("{\"valid\":false,\"error\":\"spec.rolloutPlan.rolloutBatches[2].replicas: Invalid value: 1: the rollout plan batch size mismatch, total batch size = 4, totalReplicas size = 5 (upgrade of 5 pods)\"}");
    }

    [Fact]
    public async Task Plan_InvalidPlanForPeople_WritesTheReasonToStderr()
    {
        var (code, console) = await FakeConsole.RunAsync("plan", "--replicas", "5", "--batches", "1,2,1");

        code.ShouldBe(ExitCodes.Invalid);
        console.Stdout.ShouldBeEmpty();
        console.Stderr.ShouldBe("invalid plan: spec.rolloutPlan.rolloutBatches[2].replicas: Invalid value: 1: the rollout plan batch size mismatch, total batch size = 4, totalReplicas size = 5 (upgrade of 5 pods)\n");
    }

    [Theory]
    [InlineData("plan --replicas x --batches 1", "--replicas: \"x\" is not a whole number of 0 or more")]
    [InlineData("plan --replicas 5", "give the batches with --batches LIST or a file with -f FILE")]
    [InlineData("plan --batches 1", "give a size: --replicas N, or --from A --to B")]
    [InlineData("plan --replicas 5 --from 1 --to 2 --batches 1", "use either --replicas or --from/--to, not both")]
    [InlineData("plan --from 1 --batches 1", "--from and --to go together")]
    [InlineData("plan --replicas 5 --batches 1 --bogus", "Unrecognized command or argument '--bogus'.")]
    public async Task Plan_WrongArguments_ExitOneWithAUsageLine(string args, string error)
    {
        var (code, console) = await FakeConsole.RunAsync(args.Split(' '));

        code.ShouldBe(ExitCodes.Usage);
        console.Stderr.ShouldContain(error);
        console.Stderr.ShouldContain("Usage: sluice plan");
    }

    [Fact]
    public async Task Plan_BadBatchItem_IsInvalidAndNamesTheItem()
    {
        var (code, console) = await FakeConsole.RunAsync("plan", "--replicas", "5", "--batches", "1,abc%", "-o", "json");

        code.ShouldBe(ExitCodes.Invalid);
        console.Stdout.ShouldContain("--batches: item 1 \\u0022abc%\\u0022 is neither an integer nor a percent");
    }

    [Fact]
    public async Task Plan_SeedRolloutFile_ResolvesAgainstTheGivenSize()
    {
        var (code, console) = await FakeConsole.RunAsync("plan", "-f", RepoPaths.Seed("04-rollout-v1-to-v2.yaml"), "--replicas", "5", "-o", "json");

        code.ShouldBe(ExitCodes.Success);
        string.Join(',', JsonNode.Parse(console.Stdout)!["batches"]!.AsArray().Select(b => b!["target"]!.GetValue<int>())).ShouldBe("1,3,5");
    }

    [Fact]
    public async Task Plan_SeedPartitionFile_ParksAtTheFilesPartition()
    {
        var (_, console) = await FakeConsole.RunAsync("plan", "-f", RepoPaths.Seed("05-rollout-with-partition.yaml"), "--replicas", "5", "-o", "json");

        JsonNode.Parse(console.Stdout)!["partition"]!["target"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Plan_BarePlanOnStdin_WithScale()
    {
        const string yaml = "rolloutBatches:\n  - replicas: 10%\n  - replicas: 40%\n  - replicas: 50%\n";

        var (code, console) = await FakeConsole.RunWithInputAsync(yaml, "plan", "-f", "-", "--from", "0", "--to", "5", "-o", "json");

        code.ShouldBe(ExitCodes.Success);
        string.Join(',', JsonNode.Parse(console.Stdout)!["batches"]!.AsArray().Select(b => b!["target"]!.GetValue<int>())).ShouldBe("1,3,5");
    }

    [Theory]
    [InlineData("rolloutStrategy: Sideways\nrolloutBatches:\n  - replicas: 1\n",
        "rolloutStrategy: Unsupported value: \"Sideways\": supported values: \"IncreaseFirst\", \"DecreaseFirst\"")]
    [InlineData("rolloutBatches:\n  - replicas: abc%\n",
        "rolloutBatches[0].replicas: invalid value \"abc%\": want an integer or a percent such as \"20%\"")]
    [InlineData("rolloutBatches: [\n", "invalid YAML at line")]
    [InlineData("kind: Deployment\n", "kind: Invalid value: \"Deployment\": want an AppRollout or a bare rolloutPlan")]
    [InlineData("apiVersion: core.oam.dev/v1beta1\nkind: AppRollout\nspec:\n  rolloutPlan:\n    batchPartition: one\n",
        "spec.rolloutPlan.batchPartition: ")]
    public async Task Plan_BadFile_IsInvalidAndNamesTheField(string yaml, string error)
    {
        var (code, console) = await FakeConsole.RunWithInputAsync(yaml, "plan", "-f", "-", "--replicas", "5");

        code.ShouldBe(ExitCodes.Invalid);
        console.Stderr.ShouldStartWith("invalid plan: ");
        console.Stderr.ShouldContain(error);
    }

    [Fact]
    public async Task Plan_MissingFile_IsInvalidAndSaysWhich()
    {
        var (code, console) = await FakeConsole.RunAsync("plan", "-f", "/nonexistent/plan.yaml", "--replicas", "5");

        code.ShouldBe(ExitCodes.Invalid);
        console.Stderr.ShouldContain("/nonexistent/plan.yaml");
    }

    [Fact]
    public async Task Plan_TargetSizeInFile_IsTheSizeWhenNoneIsGiven()
    {
        var (code, console) = await FakeConsole.RunWithInputAsync("targetSize: 10\nnumBatches: 4\n", "plan", "-f", "-", "-o", "json");

        code.ShouldBe(ExitCodes.Success);
        string.Join(',', JsonNode.Parse(console.Stdout)!["batches"]!.AsArray().Select(b => b!["size"]!.GetValue<int>())).ShouldBe("2,2,3,3");
    }
}
