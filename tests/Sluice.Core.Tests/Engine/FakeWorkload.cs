using Sluice.Core.Engine;
using Sluice.Core.Plans;

namespace Sluice.Core.Tests.Engine;

/// <summary>An in-memory workload: takes intents like an adapter and, on <see cref="Settle"/>, moves pods like a cluster.</summary>
internal sealed class FakeWorkload(WorkloadStyle style, int existingPods = 0)
{
    private RolloutMode mode = RolloutMode.Upgrade;
    private int original = existingPods;
    private int total = existingPods;

    public bool Exists { get; private set; } = existingPods > 0;

    public bool Prepared { get; private set; }

    public bool Paused { get; private set; }

    public bool RevertRequested { get; private set; }

    public int? RequestedTarget { get; private set; }

    public int? RequestedSource { get; private set; }

    public int TargetPods { get; private set; }

    public int TargetReady { get; private set; }

    public int SourcePods { get; private set; } = existingPods;

    public int SourceReady { get; private set; } = existingPods;

    /// <summary>Target pods never become ready (a bad revision).</summary>
    public bool TargetNeverReady { get; set; }

    /// <summary>Settle only on request, so tests can look at what a reconcile saw before the world moved.</summary>
    public bool Settled { get; private set; } = true;

    public List<WorkloadIntent> Applied { get; } = [];

    public WorkloadSnapshot Snapshot() => new()
    {
        Style = style,
        Exists = Exists,
        Prepared = Prepared,
        Settled = Settled,
        RequestedTarget = RequestedTarget,
        RequestedSource = RequestedSource,
        RevertRequested = RevertRequested,
        TargetPods = TargetPods,
        TargetReady = TargetReady,
        SourcePods = SourcePods,
        SourceReady = SourceReady,
    };

    public void Apply(WorkloadIntent intent)
    {
        Applied.Add(intent);
        switch (intent)
        {
            case PrepareWorkload prepare:
                mode = prepare.Mode;
                original = prepare.OriginalSize;
                total = prepare.TargetSize;
                Exists = Prepared = true;
                RevertRequested = false;
                // Hold every pod where it is: never move pods backwards on take-over.
                RequestedTarget = TargetPods;
                if (mode == RolloutMode.Upgrade && style == WorkloadStyle.TwoObject)
                {
                    RequestedSource = SourcePods;
                }

                break;
            case SetTarget target:
                RequestedTarget = target.Pods;
                break;
            case SetSource source:
                RequestedSource = source.Pods;
                break;
            case ReleaseWorkload release:
                Prepared = false;
                if (release.Succeeded && style == WorkloadStyle.TwoObject && mode == RolloutMode.Upgrade)
                {
                    SourcePods = SourceReady = 0;
                    RequestedSource = null;
                }

                break;
            case RevertWorkload:
                // As the adapters report it: the template is the source's again, so not prepared for the target.
                RevertRequested = true;
                Prepared = false;
                break;
            case PauseWorkload:
                Paused = true;
                break;
        }

        Settled = false;
    }

    /// <summary>Pods as another rollout left them (ready, not held): <paramref name="target"/> on the target, the rest on the source.</summary>
    public void ForcePods(int target, int source)
    {
        (TargetPods, TargetReady, SourcePods, SourceReady) = (target, target, source, source);
        (Prepared, RequestedTarget, Settled) = (false, target, true);
    }

    /// <summary>The cluster catches up with the spec.</summary>
    public void Settle()
    {
        if (Paused)
        {
            Settled = true;
            return;
        }

        if (RevertRequested)
        {
            if (mode == RolloutMode.Upgrade)
            {
                TargetPods = TargetReady = 0;
                SourcePods = SourceReady = original;
            }
            else
            {
                TargetPods = TargetReady = original;
            }
        }
        else if (mode == RolloutMode.Upgrade && style == WorkloadStyle.InPlace)
        {
            TargetPods = RequestedTarget ?? 0;
            SourcePods = SourceReady = total - TargetPods;
            TargetReady = TargetNeverReady ? 0 : TargetPods;
        }
        else
        {
            TargetPods = RequestedTarget ?? TargetPods;
            TargetReady = TargetNeverReady ? 0 : TargetPods;
            if (RequestedSource is { } source)
            {
                SourcePods = SourceReady = source;
            }
        }

        Settled = true;
    }
}
