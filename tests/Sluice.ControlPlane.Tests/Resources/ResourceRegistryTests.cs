using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Resources;

/// <summary>A CRD created at run time is served at once; deleting it takes its objects along.</summary>
public sealed class ResourceRegistryTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size]
                    properties:
                      size: {type: integer, maximum: 10}
        """;

    [Fact]
    public async Task CreateCrd_ThenObjects_ServedAndValidatedAndRemovedWithTheCrd()
    {
        var ns = plane.Fresh("crd");
        var kubectl = plane.Kubectl;

        (await kubectl.RunAsync(TimeSpan.FromSeconds(60), Crd, "apply", "-f", "-")).ExitCode.ShouldBe(0);
        var good = await kubectl.RunAsync(TimeSpan.FromSeconds(60), "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n", "apply", "-n", ns, "-f", "-");
        var bad = await kubectl.RunAsync(TimeSpan.FromSeconds(60), "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {size: 11}\n", "apply", "-n", ns, "-f", "-");

        good.ExitCode.ShouldBe(0, good.Output);
        bad.Stderr.ShouldContain("spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10");
        (await kubectl.RunAsync("get", "wd", "-n", ns, "-o", "name")).Stdout.Trim().ShouldBe("widget.example.com/w1");
        var crd = plane.Plane.Store.Get(new GroupResource("apiextensions.k8s.io", "customresourcedefinitions"), null, "widgets.example.com");
        crd["status"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()).ShouldContain("Established");

        (await kubectl.RunAsync("delete", "crd", "widgets.example.com")).ExitCode.ShouldBe(0);

        (await Eventually.HoldsAsync(() =>
            Task.FromResult(plane.Plane.Store.List(new GroupResource("example.com", "widgets"), ns).Items.Count == 0))).ShouldBeTrue();
        plane.Plane.Store.Registry.Find("example.com", "v1", "widgets").ShouldBeNull();
    }

    [Fact]
    public void Find_ByApiVersionAndKind_FindsBuiltInsAndEmbeddedCrds()
    {
        var registry = plane.Plane.Store.Registry;

        registry.FindKind("apps/v1", "Deployment")!.Plural.ShouldBe("deployments");
        registry.FindKind("core.oam.dev/v1beta1", "AppRollout")!.HasStatus.ShouldBeTrue();
        registry.FindKind("apps.kruise.io/v1alpha1", "CloneSet")!.Scale!.LabelSelectorPath.ShouldBe(".status.labelSelector");
        registry.FindKind("v1", "Nope").ShouldBeNull();
    }
}
