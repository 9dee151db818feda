namespace Sluice.Dashboard.Panels;

/// <summary>What one router sent to the target from a moment on: its weight, its match rules in words, its mirror.</summary>
/// <param name="At">When the dashboard first saw it so.</param>
/// <param name="Router">"HTTPRoute web": the router's kind and name.</param>
/// <param name="Weight">Percent of requests to the target (0..100).</param>
/// <param name="Matches">The requests sent to the target whatever the weight, in words, or empty.</param>
/// <param name="Mirror">Percent of requests copied to the target.</param>
internal sealed record TrafficSample(DateTimeOffset At, string Router, int Weight, string Matches, int Mirror);
