namespace Sluice.Dashboard.Panels;

/// <summary>The panels of a rollout's page, in order. Add a panel here (see <see cref="IRolloutPanel"/>).</summary>
internal static class RolloutPanels
{
    public static IReadOnlyList<IRolloutPanel> All { get; } =
    [
        new PlanPanel(),
        new PodsPanel(),
        new TrafficPanel(),
        new AnalysisPanel(),
        new WebhooksPanel(),
        new ConditionsPanel(),
        new EventsPanel(),
        new StateMachinePanel(),
    ];
}
