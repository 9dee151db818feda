using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>scalingDownSource</c> (blue/green): the source stays up <c>scaleDownDelaySeconds</c> after the switch (clients and
/// proxies catch up; an abort can still switch back to it), then goes to 0.
/// </summary>
internal static class ScaleDownStep
{
    public static bool Run(DecisionContext c)
    {
        if (c.Workload is not { } workload)
        {
            return c.Wait("the workload to be observed");
        }

        var delay = TimeSpan.FromSeconds(c.Plan.BlueGreen!.EffectiveScaleDownDelaySeconds);
        if (c.StepStarted is { } since && c.Now < since + delay)
        {
            return c.WaitFor($"the source kept up until {since + delay:HH:mm:ss}Z (scaleDownDelaySeconds {delay.TotalSeconds:0})", since + delay - c.Now);
        }

        if (!c.SourceAsked(0))
        {
            c.Emit(new SetSource(0));
            return c.Wait("the source to scale down to 0");
        }

        if (!workload.Settled || workload.SourcePods > 0)
        {
            return c.Wait($"the source's {workload.SourcePods} pods to go");
        }

        return c.Fire(RolloutEvent.SourceScaledDown);
    }
}
