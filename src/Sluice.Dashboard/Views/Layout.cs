using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>The page around every view: skip link, navigation, the connection's state, the view, the confirmation dialog.</summary>
internal static class Layout
{
    public static Html Page(DashboardContext context, ILiveView view, string section, string streamUrl, DateTimeOffset now)
    {
        var regions = view.Regions(now).ToDictionary(r => r.Id, r => r.Content);
        return Html.Of($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{view.Title} · Sluice</title>
            <link rel="stylesheet" href="/assets/dashboard.css">
            <script src="/assets/dashboard.js" defer></script>
            </head>
            <body data-stream="{streamUrl}">
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <a class="brand" href="/">Sluice</a>
            <nav aria-label="Sections"><ul>
            <li><a href="/"{Current(section == "rollouts")}>Rollouts</a></li>
            <li><a href="/apps"{Current(section == "apps")}>Applications</a></li>
            </ul></nav>
            <div id="connection" class="live connection" role="status">{regions["connection"]}</div>
            </header>
            <main id="main" tabindex="-1">
            {view.Body(regions)}
            </main>
            <footer><p>{context.Cluster}</p></footer>
            <dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-intent">
            <form method="post" action="/">
            <h2 id="confirm-title">Confirm</h2>
            <p id="confirm-intent"></p>
            <input type="hidden" name="_csrf" value="{context.Access.Csrf}">
            <div class="buttons">
            <button type="submit" class="danger" id="confirm-yes">Confirm</button>
            <button type="button" id="confirm-no" value="cancel">Cancel</button>
            </div>
            </form>
            </dialog>
            </body>
            </html>
            """);
    }

    /// <summary>Whether the cluster answers: the live state, or what is failing and that the page may be behind.</summary>
    public static Region Connection(DashboardContext context)
    {
        var problems = context.Cache.Problems;
        if (problems.Count == 0)
        {
            return new Region("connection", Html.Of($"<span class=\"live-ok\"><span aria-hidden=\"true\">●</span> live</span>"));
        }

        var first = problems[0];
        var what = $"{first.Kind.Plural} in {first.Namespace ?? "all namespaces"}: {first.Error.Message}";
        return new Region("connection", Html.Of($"""
            <span class="live-problem"><span aria-hidden="true">▲</span> Not in step with the cluster ({problems.Count} watch{(problems.Count == 1 ? "" : "es")} failing; retrying). What you see may be out of date. <span class="detail">{what}</span></span>
            """));
    }

    private static Html Current(bool current) => current ? Html.Trusted(" aria-current=\"page\"") : Html.Empty;
}
