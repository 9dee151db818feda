using Microsoft.Playwright;
using Sluice.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static Sluice.Dashboard.Tests.Support.Manifests;

namespace Sluice.Dashboard.Tests.Browser;

/// <summary>
/// The traffic panel of a rollout through a Gateway API HTTPRoute: the router's weight and match rules now, the plan's
/// step per batch, and the router's changes over time, following the cluster as the events arrive (no sleeps); an axe
/// scan of the page with the panel full finds no serious or critical violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TrafficPanelTests(DashboardFixture fixture)
{
    private const string Routing = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app.oam.dev/component: web
          ports:
            - name: http
              port: 80
              targetPort: 8080
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
        spec:
          parentRefs:
            - name: shop
          rules:
            - backendRefs:
                - name: web
                  port: 80

        """;

    /// <summary>v1 to v2: 20% and header x-canary: yes to v2 in its first batch, held there until promoted, then all.</summary>
    private const string Canary = """
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
            trafficRouting:
              service: web
              gatewayAPI:
                httpRoutes: [web]
            rolloutBatches:
              - replicas: 1
                traffic: 20%
                matches:
                  - headers:
                      - name: x-canary
                        exact: "yes"
                pause: {}
              - replicas: 4

        """;

    [Fact]
    public async Task TrafficPanel_CanaryThroughAnHttpRoute_ShowsWeightAndMatchRulesNowAndOverTime()
    {
        // Given v1 up behind a Service and an HTTPRoute, and its page open
        var ns = $"traffic-{Guid.NewGuid().ToString("N")[..6]}";
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "100%") + "---\n" + Routing);
        var page = await fixture.OpenAsync($"/rollouts/{ns}/up");
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        await Expect(page.Locator("#traffic")).ToContainTextAsync("routes no traffic");

        // When v2 goes out as a canary through the route, held after its first batch
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:2") + "---\n" + Canary);

        // Then the panel shows the route sending 20% and the header's requests to v2, now and in the plan
        var router = page.Locator("#traffic tr[data-router='HTTPRoute web']");
        await Expect(router).ToHaveAttributeAsync("data-weight", "20");
        await Expect(router.Locator("td[data-label='Split']")).ToContainTextAsync("20% → web-canary (web-v2), 80% → web (web-v1)");
        await Expect(router.Locator("td[data-label='Match rules']")).ToContainTextAsync("header x-canary = yes → web-canary (web-v2)");
        await Expect(page.Locator("#traffic tr[data-step='1']")).ToHaveAttributeAsync("data-state", "current");
        await Expect(page.Locator("#traffic tr[data-step='1'] td[data-label='Weight']")).ToHaveTextAsync("20%");
        await Expect(page.Locator("#traffic tr[data-change='HTTPRoute web'][data-weight='20']").First).ToContainTextAsync("header x-canary = yes");
        await Expect(page.Locator("#traffic svg.chart")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("HTTPRoute web .*20%"));

        // And the page with the panel full passes an accessibility scan
        (await AxeScan.SeriousOrCriticalAsync(page, "traffic panel")).ShouldBeEmpty();

        await DocsScreenshot.TakeAsync(page.Locator("#panel-traffic"), "dashboard-traffic.png");
        // When promoted, Then it runs to the end and the route goes back to sending everything to web, its change recorded
        await page.ClickAsync("#action-promote");
        await page.ClickAsync("#confirm-yes");
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        await Expect(router).ToHaveAttributeAsync("data-weight", "0");
        await Expect(router.Locator("td[data-label='Match rules']")).ToHaveTextAsync("none");
        var weights = await page.Locator("#traffic tr[data-change='HTTPRoute web']").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.weight)");
        var oldestFirst = weights.Reverse().Select(int.Parse).ToList();
        oldestFirst.ShouldContain(20, string.Join(", ", oldestFirst));
        oldestFirst[^1].ShouldBe(0, string.Join(", ", oldestFirst));
        oldestFirst.IndexOf(20).ShouldBeLessThan(oldestFirst.Count - 1);
    }
}
