using Sluice.Core.Api;
using Sluice.Core.Operations;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>The confirmation as a page of its own, for a browser without the script: what will happen, and a button that does it.</summary>
internal static class ConfirmView
{
    public static Html Page(DashboardContext context, string ns, string name, DashboardAction action, AppRollout? rollout)
    {
        var change = rollout is null ? null : RolloutOperations.Decide(action.Operation, rollout);
        var body = change switch
        {
            null => Html.Of($"<p class=\"flash bad\" role=\"alert\">approllout/{name} does not exist in namespace {ns}.</p>"),
            { Refused: true } => Html.Of($"<p class=\"flash bad\" role=\"alert\">{action.Label} does not apply now: {change.Refusal}</p>"),
            _ => Html.Of($"""
                <p id="confirm-page-intent">{change.Intent}</p>
                <form method="post" action="{action.Path(ns, name)}">
                <input type="hidden" name="_csrf" value="{context.Access.Csrf}">
                <div class="buttons"><button type="submit" class="{action.Style}" aria-describedby="confirm-page-intent">{action.Label}</button> <a href="{Format.RolloutPath(ns, name)}">Cancel</a></div>
                </form>
                """),
        };
        return Html.Of($"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{action.Label} {name}? · Sluice</title>
            <link rel="stylesheet" href="/assets/dashboard.css"></head>
            <body><main id="main">
            <h1>{action.Label} {name}?</h1>
            {body}
            <p><a href="{Format.RolloutPath(ns, name)}">Back to {name}</a></p>
            </main></body>
            </html>
            """);
    }
}
