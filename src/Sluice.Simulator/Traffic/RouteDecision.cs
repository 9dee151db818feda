namespace Sluice.Simulator.Traffic;

/// <summary>A Service by namespace and name.</summary>
internal readonly record struct ServiceRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>What a router does with one kind of request.</summary>
internal enum RouteOutcome
{
    /// <summary>Sent to the backends by weight.</summary>
    Routed,

    /// <summary>No rule matched: 404 (Envoy's NR).</summary>
    NoRoute,

    /// <summary>A rule matched but sends nowhere (no backend, all weights 0): 500.</summary>
    NoBackend,
}

/// <summary>
/// Where a router sends one kind of request: backends by weight, copies by percent. <see cref="Point"/> names the rule
/// that decided (so that its share is kept exact across ticks).
/// </summary>
internal sealed record RouteDecision(RouteOutcome Outcome, string Point, IReadOnlyList<(ServiceRef Service, long Weight)> Backends, IReadOnlyList<(ServiceRef Service, double Percent)> Mirrors)
{
    public static RouteDecision NoRoute { get; } = new(RouteOutcome.NoRoute, "no route", [], []);

    public static RouteDecision NoBackend(string point) => new(RouteOutcome.NoBackend, point, [], []);

    public static RouteDecision To(ServiceRef service, string point) => new(RouteOutcome.Routed, point, [(service, 1)], []);
}
