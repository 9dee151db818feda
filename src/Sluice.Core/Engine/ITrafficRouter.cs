using Sluice.Core.Plans;

namespace Sluice.Core.Engine;

/// <summary>
/// The port a routing kind plugs in behind, beside <see cref="IWorkloadAdapter"/>: it checks that the objects a plan
/// names can be steered, reads them into a <see cref="TrafficSnapshot"/>, and applies <see cref="TrafficIntent"/>s to
/// them. Implementations live outside Core (they talk to the cluster); the engine never sees them.
/// </summary>
public interface ITrafficRouter
{
    /// <summary>The kind it steers: "HTTPRoute", "VirtualService", "Ingress", "Service"; "Traffic" for a composite.</summary>
    string Kind { get; }

    /// <summary>What it can express (weights, matches, mirror).</summary>
    TrafficCapabilities Capabilities { get; }

    /// <summary>
    /// Why the plan cannot be applied to the objects it names, for <c>verifyingSpec</c> (nothing is touched): an object that
    /// does not exist or does not route to the stable Service, matches or a mirror this kind cannot express, an object held
    /// by another rollout. Each error names the plan's field and the value. Empty when it can.
    /// </summary>
    Task<IReadOnlyList<PlanError>> VerifyAsync(TrafficTarget target, CancellationToken cancellationToken);

    Task<TrafficSnapshot> ObserveAsync(TrafficTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// Applies one decision's traffic intents, in order, each idempotent, with at most one write per object (intents it has
    /// nothing to do with are ignored). What a crash leaves applied is harmless to apply again: intents are desired states.
    /// </summary>
    Task ApplyAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, CancellationToken cancellationToken);
}
