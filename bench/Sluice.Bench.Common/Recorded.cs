using Sluice.ControlPlane.Store;

namespace Sluice.Bench.Common;

/// <summary>One committed change and the <see cref="System.Diagnostics.Stopwatch"/> timestamp of its arrival.</summary>
public sealed record Recorded(long At, WatchEvent Change);
