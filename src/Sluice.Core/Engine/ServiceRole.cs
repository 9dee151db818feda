namespace Sluice.Core.Engine;

/// <summary>What a Service is to a rollout.</summary>
public enum ServiceRole
{
    /// <summary><c>trafficRouting.service</c>: the Service clients use; pinned to the source while a canary runs.</summary>
    Stable,

    /// <summary><c>trafficRouting.canaryService</c>: selects only target pods.</summary>
    Canary,

    /// <summary><c>blueGreen.activeService</c>: the Service clients use; selects the source until the switch.</summary>
    Active,

    /// <summary><c>blueGreen.previewService</c>: selects the target before the switch.</summary>
    Preview,
}
