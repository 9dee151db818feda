namespace Sluice.Core.Plans;

/// <summary>What a plan moves.</summary>
public enum RolloutMode
{
    /// <summary>Pods move to a new revision; targets count upgraded pods.</summary>
    Upgrade,

    /// <summary>One revision grows or shrinks; targets are the workload's size.</summary>
    Scale,
}
