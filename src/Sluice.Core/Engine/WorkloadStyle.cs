namespace Sluice.Core.Engine;

/// <summary>How a kind moves pods between revisions.</summary>
public enum WorkloadStyle
{
    /// <summary>One object whose pods upgrade in place behind a partition (CloneSet, StatefulSet, DaemonSet).</summary>
    InPlace,

    /// <summary>One object per revision; the target grows while the source shrinks (Deployment).</summary>
    TwoObject,
}
