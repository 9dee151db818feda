using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// What the install promises, checked against the end-to-end scenarios (<see cref="ControllerScenarios"/>): the
/// ClusterRole and Roles of deploy/install.yaml grant exactly the calls the controllers make, the controller's metrics
/// reach a real Prometheus, and every query of the Grafana dashboard names a series that exists.
/// </summary>
public sealed partial class InstallScenarioTests(ScenarioRun run) : IClassFixture<ScenarioRun>
{
    [Fact]
    public void Scenarios_EveryCallTheControllersMake_IsGrantedByTheInstallsRoles()
    {
        var grants = InstallManifest.Grants([.. InstallManifest.Objects(), .. InstallManifest.DeclaredKindRoles()]);

        var denied = run.Recorded.Calls.Where(call => !grants.Any(g => g.Allows(call))).Select(c => c.ToString()).Order().ToList();

        denied.ShouldBeEmpty("calls the install's roles do not grant (a 403 on a cluster): add them to deploy/install/*role*.yaml");
    }

    [Fact]
    public void Scenarios_EveryRuleOfTheInstallsRoles_IsCalledBySomeScenario()
    {
        var grants = InstallManifest.Grants([.. InstallManifest.Objects(), .. InstallManifest.DeclaredKindRoles()]);

        var unused = grants.Where(g => !run.Recorded.Calls.Any(g.Allows)).Select(g => g.ToString()).Order().ToList();

        unused.ShouldBeEmpty("rules no scenario calls: remove them, or add the scenario that needs them");
    }

    [Fact]
    public async Task Metrics_ScrapedByPrometheus_DescribeTheRolloutsAndTheController()
    {
        var prometheus = run.Prometheus;

        // Then the rollouts' state and plan, as the controller saw them end
        var succeeded = await prometheus.WaitForAsync("""sluice_rollout_phase{namespace="sts", name="rolling-example", state="rolloutSucceed"}""");
        succeeded.Count.ShouldBe(1);
        var info = await prometheus.WaitForAsync("""sluice_rollout_info{namespace="seed", name="rolling-example"}""");
        info[0]!["metric"]!["target"]!.GetValue<string>().ShouldBe("test-rolling-v2");
        info[0]!["metric"]!["strategy"]!.GetValue<string>().ShouldBe("batches");
        TestPrometheus.Value((await prometheus.WaitForAsync("""sluice_rollout_batches{namespace="seed"}"""))[0]).ShouldBe(3);
        var canary = await prometheus.WaitForAsync("""sluice_rollout_info{namespace="canary", target="walk-v2"}""");
        canary[0]!["metric"]!["strategy"]!.GetValue<string>().ShouldBe("canary");
        canary[0]!["metric"]!["router"]!.GetValue<string>().ShouldBe("istio");
        (await prometheus.WaitForAsync("""sluice_rollout_info{namespace="bluegreen", strategy="blueGreen", router="service"}""")).Count.ShouldBe(1);

        // And how long they took, by outcome: the failed DaemonSet among them
        (await prometheus.WaitForAsync("""sum by (outcome) (sluice_rollout_duration_seconds_count{outcome="failed"})""")).Count.ShouldBe(1);
        TestPrometheus.Value((await prometheus.WaitForAsync("""sum(sluice_rollout_duration_seconds_count{outcome="succeeded"})"""))[0]).ShouldBeGreaterThanOrEqualTo(9);

        // And the controller itself: leading, its queues, its reconciles, its API calls by verb and code, the webhook
        TestPrometheus.Value((await prometheus.WaitForAsync("""sluice_leader{identity="scenarios"}"""))[0]).ShouldBe(1);
        (await prometheus.WaitForAsync("""sluice_workqueue_depth{name="approllout"}""")).Count.ShouldBe(1);
        TestPrometheus.Value((await prometheus.WaitForAsync("""sum(sluice_reconcile_duration_seconds_count{controller="approllout"})"""))[0]).ShouldBeGreaterThan(10);
        (await prometheus.WaitForAsync("""sluice_api_requests_total{verb="update", resource="approllouts/status", code="200"}""")).Count.ShouldBeGreaterThan(0);
        (await prometheus.WaitForAsync("""sluice_webhook_calls_total{phase="initializing", outcome="passed"}""")).Count.ShouldBe(1);
        (await prometheus.WaitForAsync("""sluice_notifications_total{trigger="on-succeeded", outcome="delivered"}""")).Count.ShouldBe(1);

        // And the analysis: every batch of the canary measured once through the web provider, and passed
        // (6 batches, and the first measurement of the aborted rollout; the comparison waits for a scrape after the last)
        (await prometheus.WaitForAsync("""sum(sluice_analysis_measurements_total{provider="web", phase="Successful"}) >= 7""")).Count.ShouldBe(1);
        TestPrometheus.Value((await prometheus.WaitForAsync("""sum(sluice_reconcile_duration_seconds_count{controller="analysisrun"})"""))[0]).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Dashboard_EveryQuery_NamesOnlySeriesPrometheusHasAndEvaluates()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "grafana", "sluice-controller.json")))!.AsObject();
        var queries = Queries(dashboard).ToList();
        queries.Count.ShouldBeGreaterThan(15);
        // The scenarios are over: every series the dashboard reads has been scraped at least once.
        await run.Prometheus.WaitForAsync("sluice_notifications_total");
        await run.Prometheus.WaitForAsync("sluice_analysis_measurements_total");
        var names = await run.Prometheus.NamesAsync();

        foreach (var query in queries)
        {
            var series = SeriesName().Matches(query).Select(m => m.Value).Distinct().ToList();
            series.ShouldNotBeEmpty($"query {query} names no sluice_ series");
            series.Where(s => !names.Contains(s)).ShouldBeEmpty($"query {query} names series Prometheus does not have");
            var promql = query.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__range", "1h", StringComparison.Ordinal)
                .Replace("$namespace", ".*", StringComparison.Ordinal);
            if (!promql.StartsWith("label_values(", StringComparison.Ordinal))
            {
                await run.Prometheus.QueryAsync(promql);
            }
        }
    }

    [Fact]
    public void Notification_OnSucceeded_ReachedTheWebhookWithTheSecretsHeader()
    {
        var notified = run.Receiver.Calls.Where(c => c.Path == "notify").ToList();

        notified.ShouldNotBeEmpty();
        notified.ShouldAllBe(c => c.Body["trigger"]!.GetValue<string>() == "on-succeeded" && c.Authorization == "Bearer t0ken");
        notified[0].Body["rollout"]!["namespace"]!.GetValue<string>().ShouldBe("web");
        notified[0].Body["rollout"]!["target"]!.GetValue<string>().ShouldBe("walk-v2");
    }

    private static IEnumerable<string> Queries(JsonObject dashboard) =>
        (dashboard["panels"] as JsonArray ?? []).SelectMany(p => p?["targets"] as JsonArray ?? []).Select(t => t!["expr"]!.GetValue<string>())
            .Concat((dashboard["templating"]?["list"] as JsonArray ?? []).Select(v => v?["query"]).OfType<JsonObject>().Select(q => q["query"]!.GetValue<string>()));

    [GeneratedRegex(@"\bsluice_[a-z_]+\b")]
    private static partial Regex SeriesName();
}
