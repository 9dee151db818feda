using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Engine;

/// <summary>
/// A desired state the controller applies to the workload through its adapter. Every intent is
/// idempotent: applying it twice is the same as once, so a reconcile cut short repeats nothing.
/// </summary>
public abstract record WorkloadIntent;

/// <summary>
/// Take the workload over: mark it as this rollout's, put the target template in place and hold every pod
/// where it is (in place: partition = replicas - pods already on the target; two objects: the target created
/// with 0 replicas if missing). It never moves pods, so taking over again after a crash undoes nothing.
/// </summary>
public sealed record PrepareWorkload(RolloutMode Mode, int OriginalSize, int TargetSize) : WorkloadIntent
{
    public override string ToString() => $"prepare ({Mode}, {OriginalSize} -> {TargetSize} pods)";
}

/// <summary>In place, upgrading: let <see cref="Pods"/> pods run the target revision. Otherwise: the target's spec.replicas.</summary>
public sealed record SetTarget(int Pods) : WorkloadIntent
{
    public override string ToString() => $"target {Pods}";
}

/// <summary>Two objects: the source's spec.replicas.</summary>
public sealed record SetSource(int Pods) : WorkloadIntent
{
    public override string ToString() => $"source {Pods}";
}

/// <summary>Give the workload back: on success clean up the source (two objects); otherwise leave it as it is.</summary>
public sealed record ReleaseWorkload(bool Succeeded) : WorkloadIntent
{
    public override string ToString() => Succeeded ? "release (succeeded)" : "release";
}

/// <summary>Put the source revision back on every pod (or the original size when scaling), respecting maxUnavailable.</summary>
public sealed record RevertWorkload(RolloutMode Mode, int OriginalSize, IntOrPercent? MaxUnavailable) : WorkloadIntent
{
    public override string ToString() => $"revert to {OriginalSize} source pods";
}

/// <summary>Hold the workload as it is (onFailure: Pause).</summary>
public sealed record PauseWorkload : WorkloadIntent
{
    public override string ToString() => "pause";
}
