using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>
/// A page whose parts follow the cluster: the server renders it whole once, then, over the page's event stream, sends
/// each part (<see cref="Region"/>) again whenever it renders differently. Rendering is a pure function of the watch
/// cache and the time, so a reconnecting page is simply sent every part again.
/// </summary>
internal interface ILiveView
{
    string Title { get; }

    /// <summary>404 when what the page shows does not exist (its regions still say so, and a stream keeps watching).</summary>
    int StatusCode { get; }

    /// <summary>
    /// What the cache must watch while the page is open: kinds in a namespace (null: the dashboard's scope). Asked again
    /// before each render of the stream, so it may change with what the page shows.
    /// </summary>
    IReadOnlyList<(ResourceKind Kind, string? Namespace)> Watches { get; }

    /// <summary>Whether a change may alter what the page shows (a page ignores the rest).</summary>
    bool Affects(ResourceKind kind, InformerEvent change);

    IReadOnlyList<Region> Regions(DateTimeOffset now);

    /// <summary>The page's main content, placing each region in its live container.</summary>
    Html Body(IReadOnlyDictionary<string, Html> regions);
}

/// <summary>A part of a page that is sent again when it changes: the inner HTML of the element with this id.</summary>
internal sealed record Region(string Id, Html Content);
