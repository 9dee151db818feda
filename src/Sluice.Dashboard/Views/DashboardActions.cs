using Sluice.Core.Operations;

namespace Sluice.Dashboard.Views;

/// <summary>The rollout actions the dashboard offers: each is one of the CLI's <c>sluice rollout</c> verbs.</summary>
internal sealed record DashboardAction(RolloutOperation Operation, string Slug, string Label, string Style)
{
    public string Path(string ns, string name) => $"{Format.RolloutPath(ns, name)}/actions/{Slug}";
}

internal static class DashboardActions
{
    public static IReadOnlyList<DashboardAction> All { get; } =
    [
        new(RolloutOperation.Pause, "pause", "Pause", ""),
        new(RolloutOperation.Resume, "resume", "Resume", ""),
        new(RolloutOperation.Promote, "promote", "Promote", "primary"),
        new(RolloutOperation.PromoteFull, "promote-fully", "Promote fully", ""),
        new(RolloutOperation.Abort, "abort", "Abort", "danger"),
        new(RolloutOperation.Retry, "retry", "Retry", ""),
        new(RolloutOperation.Undo, "undo", "Undo", "danger"),
    ];

    public static DashboardAction? Find(string slug) => All.FirstOrDefault(a => a.Slug == slug);
}
