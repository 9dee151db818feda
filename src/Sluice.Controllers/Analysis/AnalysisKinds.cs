using Sluice.Controllers.Kube;
using Sluice.Core.Api;

namespace Sluice.Controllers.Analysis;

/// <summary>The analysis resources (rollout.sluice.dev/v1alpha1).</summary>
public static class AnalysisKinds
{
    public static readonly ResourceKind AnalysisRun = new(Core.Api.AnalysisRun.Group, Core.Api.AnalysisRun.Version, Core.Api.AnalysisRun.KindName, Core.Api.AnalysisRun.Plural);

    public static readonly ResourceKind MetricTemplate = new(Core.Api.MetricTemplate.Group, Core.Api.MetricTemplate.Version, Core.Api.MetricTemplate.KindName, Core.Api.MetricTemplate.Plural);
}
