namespace Sluice.Core.Engine;

/// <summary>How a router can copy requests to the target.</summary>
public enum MirrorSupport
{
    /// <summary>It cannot mirror.</summary>
    None,

    /// <summary>Everything or nothing (NGINX's mirror-target): only "100%".</summary>
    AllOrNothing,

    /// <summary>Any whole percent (Gateway API's RequestMirror percent, Istio's mirrorPercentage).</summary>
    Percent,
}
