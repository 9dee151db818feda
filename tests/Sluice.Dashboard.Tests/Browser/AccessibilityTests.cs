using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Sluice.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static Sluice.Dashboard.Tests.Support.Manifests;

namespace Sluice.Dashboard.Tests.Browser;

/// <summary>
/// An axe-core scan of every view with data in it, and of the views whose layout folds on a phone-sized screen:
/// no serious or critical violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(DashboardFixture fixture)
{
    private static readonly AxeRunOptions ViolationsOnly = new() { ResultTypes = [ResultType.Violations] };

    [Fact]
    public async Task Scan_EveryView_HasNoSeriousOrCriticalViolation()
    {
        var (ns, page) = await HeldRolloutAsync(1280, 900);
        var failures = new List<string>();

        await ScanAsync(page, "rollout", failures);
        await page.ClickAsync("#action-abort");
        await Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await ScanAsync(page, "confirmation dialog", failures);
        await page.ClickAsync("#confirm-no");
        await page.GotoAsync($"{fixture.Dashboard.BaseUrl}rollouts/{ns}/up/confirm/abort");
        await ScanAsync(page, "confirmation page", failures);
        await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString());
        await Expect(page.Locator($"tr[data-rollout='{ns}/up']")).ToBeVisibleAsync();
        await ScanAsync(page, "rollouts", failures);
        await page.GotoAsync($"{fixture.Dashboard.BaseUrl}apps");
        await Expect(page.Locator($"tr[data-app='{ns}/web']")).ToBeVisibleAsync();
        await ScanAsync(page, "applications", failures);
        await page.GotoAsync($"{fixture.Dashboard.BaseUrl}apps/{ns}/web");
        await Expect(page.Locator("#diff pre.diff")).ToContainTextAsync("registry.local/web:2");
        await ScanAsync(page, "application with a diff", failures);

        failures.ShouldBeEmpty(string.Join("\n", failures));
    }

    [Fact]
    public async Task Scan_OnAPhoneSizedScreen_HasNoSeriousOrCriticalViolation()
    {
        var (ns, page) = await HeldRolloutAsync(375, 740);
        var failures = new List<string>();

        await ScanAsync(page, "rollout (phone)", failures);
        await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString());
        await Expect(page.Locator($"tr[data-rollout='{ns}/up']")).ToBeVisibleAsync();
        await ScanAsync(page, "rollouts (phone)", failures);

        failures.ShouldBeEmpty(string.Join("\n", failures));
        // The page fits the screen: nothing but the diagram's own scroller is wider than it.
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
    }

    /// <summary>A rollout from web-v1 to web-v2 held after its first batch, open on its page.</summary>
    private async Task<(string Namespace, IPage Page)> HeldRolloutAsync(int width, int height)
    {
        var ns = $"a11y-{width}-{Guid.NewGuid().ToString("N")[..6]}";
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "100%"));
        var page = await fixture.OpenAsync($"/rollouts/{ns}/up", width, height);
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:2") + "---\n" + Rollout("up", "web-v1", "web-v2", "1,2,2", "    batchPartition: 0\n"));
        await Expect(page.Locator("#summary [data-state]")).ToHaveAttributeAsync("data-state", "paused");
        return (ns, page);
    }

    private static async Task ScanAsync(IPage page, string view, List<string> failures)
    {
        var result = await page.RunAxe(ViolationsOnly);
        failures.AddRange(result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{view}: {v.Impact} {v.Id} ({v.Help}) at {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}"));
    }
}
