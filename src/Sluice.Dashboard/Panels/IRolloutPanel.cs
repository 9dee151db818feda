using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Panels;

/// <summary>
/// One panel of a rollout's page: a titled section whose content follows the cluster. This is the extension point for
/// what later issues add (a traffic panel rendering the routers' weights and matches, an analysis panel rendering an
/// AnalysisRun's measurements): write a class that renders from <see cref="RolloutPageModel"/> (extend the model with
/// what it reads) and add it to <see cref="RolloutPanels.All"/>. The page, the event stream and the tests of every
/// panel (a region per panel, an accessibility scan) need no other change.
/// </summary>
internal interface IRolloutPanel
{
    /// <summary>The region's id, unique on the page (also its anchor).</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>The panel's content: say plainly when there is nothing to show rather than render nothing.</summary>
    Html Render(RolloutPageModel model);
}
