using Sluice.ControlPlane.Http;

namespace Sluice.Bench.Rollouts;

/// <summary>What one run measured (<see cref="PlaneCpuSeconds"/>: this process, the plane and the simulator): the rollout phase only (from the first AppRollout's create to the last one's success).</summary>
internal sealed record RunFigures(
    int Rollouts,
    int Batches,
    TimeSpan Wall,
    IReadOnlyList<double> ReactionMs,
    IReadOnlyDictionary<RequestKey, long> Requests,
    double ControllerCpuSeconds,
    double ControllerCpuSecondsTotal,
    double ControllerPeakMb,
    double PlaneCpuSeconds,
    long Conflicts,
    long ProgressWrites)
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];

    public long Count(Func<RequestKey, bool> which) => Requests.Where(r => which(r.Key)).Sum(r => r.Value);

    public static bool IsWrite(RequestKey key) => WriteVerbs.Contains(key.Verb);

    /// <summary>Writes of the workload and of the AppRollout (its status included): what a batch needs.</summary>
    public long RolloutWrites => Count(k => IsWrite(k) && k.Resource is "clonesets" or "approllouts");

    public double WritesPerBatch => (double)RolloutWrites / Batches;

    /// <summary>Status writes that only refreshed the pod counts while a batch waited (not needed by the plan).</summary>
    public double ProgressWritesPerBatch => (double)ProgressWrites / Batches;

    public double AllWritesPerBatch => (double)Count(IsWrite) / Batches;
}
