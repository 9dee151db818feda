using Microsoft.Playwright;
using Sluice.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static Sluice.Dashboard.Tests.Support.Manifests;

namespace Sluice.Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in Debian's chromium against the embedded system: rollouts applied with kubectl appear, a rollout's
/// strip follows its batches as the events arrive, the actions do what the CLI's verbs do after a confirmation.
/// Every wait is on the DOM (Playwright's expectations poll it), never a fixed sleep.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture fixture)
{
    private static string Namespace(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    [Fact]
    public async Task List_RolloutsAppliedWithKubectl_ShowStateProgressAndFilter()
    {
        // Given two rollouts applied with kubectl in two namespaces
        var shopNs = Namespace("list-shop");
        var cartNs = Namespace("list-cart");
        await fixture.ApplyAsync(shopNs, App("shop", "registry.local/shop:1") + "---\n" + Rollout("shop-up", null, "shop-v1", "50%,50%"));
        await fixture.ApplyAsync(cartNs, App("cart", "registry.local/cart:1", replicas: 3) + "---\n" + Rollout("cart-up", null, "cart-v1", "1,2"));

        // When the list is opened
        var page = await fixture.OpenAsync();
        var shop = page.Locator($"tr[data-rollout='{shopNs}/shop-up']");
        var cart = page.Locator($"tr[data-rollout='{cartNs}/cart-up']");

        // Then both are there, and each ends succeeded with every pod ready on its target, from -> to shown
        await Expect(shop).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(cart).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(shop.Locator("progress")).ToHaveAttributeAsync("value", "5");
        await Expect(shop.Locator("td[data-label='Revisions']")).ToHaveTextAsync("(none) → shop-v1");
        await Expect(shop.Locator("td[data-label='Batch']")).ToHaveTextAsync("2/2");

        // And a rollout applied while the page is open appears without a reload
        await fixture.ApplyAsync(cartNs, App("cart", "registry.local/cart:2", replicas: 3) + "---\n" + Rollout("cart-up-2", "cart-v1", "cart-v2", "1,2"));
        await Expect(page.Locator($"tr[data-rollout='{cartNs}/cart-up-2']")).ToBeVisibleAsync();

        // When filtered by namespace, then by a search and a state
        await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString());
        await page.SelectOptionAsync("#filter-ns", cartNs);
        await Expect(shop).ToHaveCountAsync(0);
        await Expect(cart).ToBeVisibleAsync();
        await page.SelectOptionAsync("#filter-ns", "");
        await page.FillAsync("#filter-q", "shop-up");
        await Expect(cart).ToHaveCountAsync(0);
        await Expect(shop).ToBeVisibleAsync();
        await page.SelectOptionAsync("#filter-state", "failed");
        await Expect(shop).ToHaveCountAsync(0);
        await Expect(page.Locator("#rollouts")).ToContainTextAsync("No rollout matches the filter.");

        // And the filter is in the address, so the view can be shared and reloaded
        page.Url.ShouldContain("state=failed");
    }

    [Fact]
    public async Task RolloutPage_AsTheRolloutProgresses_StripMovesBatchByBatch()
    {
        var ns = Namespace("strip");
        var page = await fixture.OpenAsync($"/rollouts/{ns}/up");
        await Expect(page.Locator("#summary")).ToContainTextAsync("does not exist");
        // Record every state of the strip the page shows, as the events arrive.
        await page.EvaluateAsync("""
            () => {
              window.stripHistory = [];
              const record = () => {
                const states = [...document.querySelectorAll('#plan li.batch')].map(li => li.dataset.state).join(',');
                if (states && window.stripHistory[window.stripHistory.length - 1] !== states) window.stripHistory.push(states);
              };
              new MutationObserver(record).observe(document.getElementById('plan'), { childList: true, subtree: true });
            }
            """);

        // When a rollout of 5 pods in batches of 1, 2, 2 is applied
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "1,2,2"));

        // Then the page follows it to the end
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        var history = await page.EvaluateAsync<string[]>("() => window.stripHistory");

        // And the strip moved one batch at a time: each batch was seen current, then done, in order
        history[^1].ShouldBe("done,done,done", string.Join(" | ", history));
        var done = history.Select(h => h.Split(',').Count(s => s == "done")).ToList();
        done.ShouldBe(done.Order().ToList(), $"batches never go from done back: {string.Join(" | ", history)}");
        history.ShouldContain("done,current,waiting", string.Join(" | ", history));
        history.ShouldContain("done,done,current", string.Join(" | ", history));
        await Expect(page.Locator("#pods tr[data-health='ready']")).ToHaveCountAsync(5);
    }

    [Fact]
    public async Task Promote_RolloutPausedAtItsPartition_ResumesIt()
    {
        // Given a rollout held after its first batch (batchPartition: 0)
        var ns = Namespace("promote");
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "1,2,2", "    batchPartition: 0\n"));
        var page = await fixture.OpenAsync($"/rollouts/{ns}/up");
        var state = page.Locator("#summary [data-state]");
        await Expect(state).ToHaveAttributeAsync("data-state", "paused");
        await Expect(page.Locator("#plan li[data-batch='3']")).ToHaveAttributeAsync("data-state", "held");

        // When Promote is confirmed
        await page.ClickAsync("#action-promote");
        await Expect(page.Locator("#confirm-intent")).ToContainTextAsync("batch 2 of 3 may roll");
        await page.ClickAsync("#confirm-yes");

        // Then it says what it did, and the rollout goes on to its next batch and holds there
        await Expect(page.Locator("#flash")).ToContainTextAsync("promoted: spec.rolloutPlan.batchPartition 0 -> 1");
        await Expect(page.Locator("#plan li[data-batch='2']")).ToHaveAttributeAsync("data-state", "current");
        await Expect(page.Locator("#summary [data-batch]")).ToHaveTextAsync("2/3");
        await Expect(state).ToHaveAttributeAsync("data-state", "paused");
        await Expect(page.Locator("#plan li[data-batch='1']")).ToHaveAttributeAsync("data-state", "done");

        // When Promote fully is confirmed, Then it runs to the end
        await page.ClickAsync("#action-promote-fully");
        await page.ClickAsync("#confirm-yes");
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        (await fixture.RolloutAsync(ns, "up"))["spec"]!["rolloutPlan"]!["batchPartition"].ShouldBeNull();
    }

    [Fact]
    public async Task Abort_AsksForConfirmation_ThenFailsTheRolloutWithReasonAborted()
    {
        // Given a rollout from v1 to v2 held after its first batch
        var ns = Namespace("abort");
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "100%"));
        var page = await fixture.OpenAsync($"/rollouts/{ns}/up");
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:2") + "---\n" + Rollout("up", "web-v1", "web-v2", "1,2,2", "    batchPartition: 0\n"));
        await Expect(page.Locator("#summary [data-state]")).ToHaveAttributeAsync("data-state", "paused");

        // When Abort is clicked, Then a confirmation says what will happen, and Cancel changes nothing
        await page.ClickAsync("#action-abort");
        var dialog = page.Locator("#confirm");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.Locator("#confirm-intent")).ToContainTextAsync("it fails with reason Aborted and onFailure: Rollback puts every pod back on web-v1");
        await page.ClickAsync("#confirm-no");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#action-abort")).ToBeFocusedAsync();
        (await fixture.RolloutAsync(ns, "up"))["metadata"]!["annotations"]?["rollout.sluice.dev/abort"].ShouldBeNull();

        // When Abort is confirmed
        await page.ClickAsync("#action-abort");
        await page.ClickAsync("#confirm-yes");

        // Then the rollout fails with reason Aborted, and the page shows it
        await Expect(page.Locator("#flash")).ToContainTextAsync("abort requested");
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutFailed");
        await Expect(page.Locator("#summary [data-failure-reason]")).ToHaveTextAsync("Aborted");
        await Expect(page.Locator("#events tr[data-reason='Aborted']").First).ToBeVisibleAsync();
        await Expect(page.Locator("#action-retry")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WithoutTheToken_EveryPageAndActionIsRefused()
    {
        var ns = Namespace("token");
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "1,2,2", "    batchPartition: 0\n"));
        var baseUrl = fixture.Dashboard.BaseUrl.ToString();
        var request = await fixture.Playwright.APIRequest.NewContextAsync(new APIRequestNewContextOptions { MaxRedirects = 0 });
        string[] pages = ["", "apps", $"rollouts/{ns}/up", $"apps/{ns}/web", $"rollouts/{ns}/up/confirm/pause", "stream/", $"stream/rollouts/{ns}/up", "assets/dashboard.js", "assets/dashboard.css", "favicon.ico"];
        foreach (var path in pages)
        {
            (await request.GetAsync(baseUrl + path)).Status.ShouldBe(401, path);
            (await request.GetAsync($"{baseUrl}{path}{(path.Contains('?') ? '&' : '?')}token=not-the-token-but-long-enough")).Status.ShouldBe(401, path + " with a wrong token");
        }

        foreach (var action in new[] { "pause", "resume", "promote", "promote-fully", "abort", "retry", "undo" })
        {
            var post = await request.PostAsync($"{baseUrl}rollouts/{ns}/up/actions/{action}", new APIRequestContextOptions { Form = request.CreateFormData() });
            post.Status.ShouldBe(401, action);
        }

        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        var response = await page.GotoAsync(baseUrl + $"rollouts/{ns}/up");
        response!.Status.ShouldBe(401);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Token needed");
        (await fixture.RolloutAsync(ns, "up"))["spec"]!["rolloutPlan"]!["paused"].ShouldBeNull();

        // With the token, the same page is served (and the token leaves the address bar for a cookie)
        var opened = await page.GotoAsync(fixture.Dashboard.Url);
        opened!.Status.ShouldBe(200);
        page.Url.ShouldNotContain("token");
        await request.DisposeAsync();
    }

    [Fact]
    public async Task Action_WithoutTheCsrfToken_IsRefused()
    {
        var ns = Namespace("csrf");
        await fixture.ApplyAsync(ns, App("web", "registry.local/web:1") + "---\n" + Rollout("up", null, "web-v1", "1,2,2", "    batchPartition: 0\n"));
        var page = await fixture.OpenAsync($"/rollouts/{ns}/up");
        await Expect(page.Locator("#action-pause")).ToBeVisibleAsync();
        var action = $"{fixture.Dashboard.BaseUrl}rollouts/{ns}/up/actions/pause";
        var request = page.Context.APIRequest; // the page's cookie, as a forged request from the browser would carry

        var without = await request.PostAsync(action, new APIRequestContextOptions { Form = request.CreateFormData(), MaxRedirects = 0 });
        var wrong = await request.PostAsync(action, new APIRequestContextOptions { Form = request.CreateFormData().Set("_csrf", "forged"), MaxRedirects = 0 });

        without.Status.ShouldBe(403);
        wrong.Status.ShouldBe(403);
        (await without.TextAsync()).ShouldContain("CSRF");
        (await fixture.RolloutAsync(ns, "up"))["spec"]!["rolloutPlan"]!["paused"].ShouldBeNull();

        // The same request with the page's token is carried out: the refusal was the token's doing
        var csrf = await page.Locator("#confirm input[name='_csrf']").InputValueAsync();
        var with = await request.PostAsync(action, new APIRequestContextOptions { Form = request.CreateFormData().Set("_csrf", csrf), MaxRedirects = 0 });
        with.Status.ShouldBe(303);
        (await fixture.RolloutAsync(ns, "up"))["spec"]!["rolloutPlan"]!["paused"]!.GetValue<bool>().ShouldBeTrue();
    }
}
