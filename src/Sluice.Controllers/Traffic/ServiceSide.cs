namespace Sluice.Controllers.Traffic;

/// <summary>
/// Which Services one write pass of <see cref="ServiceRouter"/> touches: the ones clients use (<c>trafficRouting.service</c>,
/// <c>blueGreen.activeService</c>), or the ones a rollout adds beside them (the canary and preview Services), or both. The
/// composite orders the two sides around the routes' writes so that no request meets a Service without ready pods.
/// </summary>
internal enum ServiceSide
{
    Both,

    /// <summary>The Services clients use: the stable and active ones.</summary>
    Base,

    /// <summary>The Services beside them: the canary and preview ones.</summary>
    Derived,
}
