namespace Sluice.Bench.Soak;

/// <summary>Violations by type, and how many committed states were checked (pod states; upgrade states while in batches).</summary>
internal sealed record InvariantReport(Dictionary<string, List<string>> Violations, int PodStates, int RolloutStates);
