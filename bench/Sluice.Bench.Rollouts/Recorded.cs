using Sluice.ControlPlane.Store;

namespace Sluice.Bench.Rollouts;

/// <summary>One committed change and the <see cref="System.Diagnostics.Stopwatch"/> timestamp of its arrival.</summary>
internal sealed record Recorded(long At, WatchEvent Change);
