using Sluice.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static Sluice.Dashboard.Tests.Support.Manifests;

namespace Sluice.Dashboard.Tests.Browser;

/// <summary>
/// The analysis panel: a batch measured by a web metric whose third value leaves the success range fails; the page shows
/// the run and the metric Failed, each measurement in a chart over the success range's band and in a table, as the
/// measurements arrive; an axe scan of the page with the panel full finds no serious or critical violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AnalysisPanelTests(DashboardFixture fixture)
{
    private static string Measured(string url) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: up
        spec:
          sourceAppRevisionName: web-v1
          targetAppRevisionName: web-v2
          componentList:
            - web
          rolloutPlan:
            rolloutBatches:
              - replicas: 1
                canaryMetric:
                  - name: orders
                    interval: 1s
                    count: 4
                    metricsRange:
                      min: "99"
                    provider:
                      web:
                        url: {url}
                        jsonPath: $.value
              - replicas: 4

        """;

    [Fact]
    public async Task AnalysisPanel_MetricLeavingItsRange_ChartsEachMeasurementOverTheBandAndShowsTheFailure()
    {
        // Given v1 up and its page open, and an endpoint that answers 99.8, 99.9, then 97
        using var endpoint = new MetricEndpoint(99.8, 99.9, 97);
        var ns = $"analysis-{Guid.NewGuid().ToString("N")[..6]}";
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "100%"));
        var page = await fixture.OpenAsync($"/rollouts/{ns}/up");
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        await Expect(page.Locator("#analysis")).ToContainTextAsync("no canaryMetric");

        // When v2 goes out with its first batch measured
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:2") + "---\n" + Measured(endpoint.Url));

        // Then the panel follows the run: two measurements in range, then one out of it fails the metric and the run
        var metric = page.Locator("#analysis .metric[data-metric='orders']");
        await Expect(metric.Locator("tr[data-measurement='1']")).ToHaveAttributeAsync("data-phase", "Successful");
        await Expect(metric).ToHaveAttributeAsync("data-phase", "Failed");
        await Expect(page.Locator("#analysis section.run").First).ToHaveAttributeAsync("data-phase", "Failed");
        await Expect(metric.Locator("tr[data-measurement]")).ToHaveCountAsync(3);
        await Expect(metric.Locator("tr[data-measurement='2']")).ToHaveAttributeAsync("data-phase", "Successful");
        await Expect(metric.Locator("tr[data-measurement='3']")).ToHaveAttributeAsync("data-phase", "Failed");
        await Expect(metric.Locator("tr[data-measurement='3'] td[data-label='Value']")).ToHaveTextAsync("97");

        // And the chart draws the three values over the success range's band, the failed one as a square
        await Expect(metric).ToContainTextAsync("success range ≥ 99");
        var chart = metric.Locator("svg.chart");
        await Expect(chart.Locator(".chart-band")).ToHaveCountAsync(1);
        await Expect(chart.Locator(".chart-point")).ToHaveCountAsync(3);
        await Expect(chart.Locator("rect.point-failed")).ToHaveCountAsync(1);
        await Expect(chart).ToHaveAttributeAsync("aria-label", "Measurements of orders, 3: 99.8 (successful), 99.9 (successful), 97 (failed); success range ≥ 99");

        // And the rollout failed because of it
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutFailed");
        await DocsScreenshot.TakeAsync(page.Locator("#panel-analysis"), "dashboard-analysis.png");
        (await AxeScan.SeriousOrCriticalAsync(page, "analysis panel")).ShouldBeEmpty();
    }
}
