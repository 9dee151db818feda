using System.Text.Json.Nodes;
using Sluice.ControlPlane.Prometheus;
using Sluice.Controllers.Analysis;
using Sluice.Core.Api;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>The baseline-vs-canary judge over range queries of a real Prometheus.</summary>
public sealed class AnalysisJudgeTests : AnalysisTestBase
{
    [Fact]
    public async Task Judge_TargetSlowerThanSource_FailsAndAnEqualOnePasses()
    {
        // Given per-scrape latency samples: the source around 200 ms, one target 100 ms slower, another the same
        var random = new Random(7);
        double Noisy(double centre) { lock (random) { return centre + ((random.NextDouble() - 0.5) * 20); } }
        Set("judge-v1", () => Noisy(200));
        Set("judge-slow", () => Noisy(300));
        Set("judge-same", () => Noisy(200));
        await ScrapedAsync("judge-same");

        // When each is judged against the source over 10 s of 1 s samples
        static JsonObject Judged() => new()
        {
            ["name"] = "latency",
            ["interval"] = "10s",
            ["initialDelay"] = "10s",
            ["count"] = 1,
            ["provider"] = new JsonObject { ["prometheus"] = new JsonObject { ["query"] = "test_value{revision=\"{{revision}}\"}", ["step"] = "1s" } },
            ["judge"] = new JsonObject { ["direction"] = "increase", ["tolerance"] = "10%", ["confidence"] = 0.95 },
        };
        await CreateRunAsync("judge-slow-0-1", Judged(), target: "judge-slow", source: "judge-v1");
        await CreateRunAsync("judge-same-0-1", Judged(), target: "judge-same", source: "judge-v1");

        // Then the slower target fails with a shift near +100 ms, and the equal one passes
        var slow = await TerminalAsync("judge-slow-0-1");
        slow.Phase.ShouldBe(AnalysisPhase.Failed, slow.Message);
        slow.DecidedBy!.Value!["shift"]!.GetValue<double>().ShouldBeInRange(80, 120);
        slow.DecidedBy.Value["target"]!["samples"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(5);
        var same = await TerminalAsync("judge-same-0-1");
        same.Phase.ShouldBe(AnalysisPhase.Successful, same.Message);
    }
}
