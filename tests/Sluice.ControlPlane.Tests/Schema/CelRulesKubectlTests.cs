using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Schema;

/// <summary>CRD validation rules through kubectl: Sluice's own CRDs say what a schema cannot, with their messages.</summary>
public sealed class CelRulesKubectlTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private Kubectl Kubectl => plane.Kubectl;

    [Fact]
    public async Task Apply_AppRolloutWhoseBatchCountsDisagree_IsRejectedWithTheRulesMessage()
    {
        var ns = plane.Fresh("cel");

        var result = await Kubectl.RunAsync(TimeSpan.FromSeconds(60), """
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata: {name: mismatch}
            spec:
              targetAppRevisionName: app-v2
              rolloutPlan:
                numBatches: 3
                rolloutBatches: [{replicas: 1}, {replicas: 2}]
            """, "apply", "-n", ns, "-f", "-");

        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("spec.rolloutPlan.numBatches: Invalid value: \"object\": numBatches must equal the number of rolloutBatches");
        (await Kubectl.RunAsync("get", "approllout", "-n", ns, "-o", "name")).Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Patch_ApplicationRevisionSpec_IsRefusedAsImmutable()
    {
        var ns = plane.Fresh("immutable");
        (await Kubectl.RunAsync(TimeSpan.FromSeconds(60), """
            apiVersion: core.oam.dev/v1beta1
            kind: ApplicationRevision
            metadata: {name: app-v1}
            spec: {application: {spec: {components: []}}}
            """, "apply", "-n", ns, "-f", "-")).ExitCode.ShouldBe(0);

        var patch = await Kubectl.RunAsync("patch", "apprev", "app-v1", "-n", ns, "--type=merge", "-p", """{"spec":{"application":{"spec":{"components":[{"name":"x"}]}}}}""");
        var labels = await Kubectl.RunAsync("label", "apprev", "app-v1", "-n", ns, "seen=yes");

        patch.ExitCode.ShouldNotBe(0);
        patch.Stderr.ShouldContain("an ApplicationRevision is immutable");
        labels.ExitCode.ShouldBe(0, "metadata may change: " + labels.Output);
    }

    [Fact]
    public async Task Apply_CrdWithARuleThatDoesNotCompile_IsRefused()
    {
        var result = await Kubectl.RunAsync(TimeSpan.FromSeconds(60), """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Widget, plural: widgets}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-validations: [{rule: "self.spec.size >"}]
            """, "apply", "-f", "-");

        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule");
        result.Stderr.ShouldContain("compilation failed");
    }
}
