using Sluice.Controllers.Analysis;
using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Analysis;

public class BuiltInMetricTemplatesTests
{
    // kustomization.yaml (deploy/generate.sh) lists the templates for kubectl kustomize; it is not one.
    private static string[] Files => Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "metrics"), "*.yaml").Select(f => Path.GetFileName(f))
        .Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Templates => [.. Files];

    [Fact]
    public void Deploy_ShipsTheTwoIstioTemplates() =>
        Files.ShouldBe(["request-duration.yaml", "request-success-rate.yaml"]);

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_InlinedIntoAMetric_IsValidAndRendersAnIstioQueryForTheTargetRevision(string file)
    {
        var template = ManifestReader.Read<MetricTemplate>(YamlJson.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "metrics", file)))!);
        var metric = MetricTemplates.Inline(new CanaryMetric { Name = "m", Interval = "30s", TemplateRef = new MetricTemplateReference { Kind = "MetricTemplate", Name = template.Metadata.Name } }, template.Spec);
        var variables = new AnalysisVariables { Namespace = "shop", Component = "web", TargetRevision = "web-v2", SourceRevision = "web-v1" }.ToDictionary(0);

        MetricValidation.Validate([metric], "spec.metrics", CelConditions.Shared, resolved: true).ShouldBeEmpty();
        var query = QueryTemplate.Render(metric.Provider!.Prometheus!.Query!, MetricVariables.ValuesFor(metric, variables, null), out var error);

        error.ShouldBeNull();
        template.Metadata.Namespace.ShouldBe(MetricTemplate.SystemNamespace);
        query.ShouldNotBeNull();
        query.ShouldContain("destination_version=\"web-v2\"");
        query.ShouldContain("reporter=\"destination\"");
        query.ShouldContain("[30s]");
    }
}
