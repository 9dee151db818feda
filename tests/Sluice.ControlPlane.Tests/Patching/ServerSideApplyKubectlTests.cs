using System.Text.Json.Nodes;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Patching;

/// <summary>Server-side apply's field ownership through kubectl: conflicts with other managers, --force-conflicts, removal.</summary>
public sealed class ServerSideApplyKubectlTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.25
        """;

    private Kubectl Kubectl => plane.Kubectl;

    private Task<Kubectl.Result> Apply(string ns, string yaml, params string[] extra) =>
        Kubectl.RunAsync(TimeSpan.FromSeconds(60), yaml, ["apply", "--server-side", "-n", ns, "-f", "-", .. extra]);

    [Fact]
    public async Task Apply_AnotherManagersField_ConflictsUntilForced()
    {
        var ns = plane.Fresh("ssa-conflict");
        (await Apply(ns, Deployment)).ExitCode.ShouldBe(0);
        var five = Deployment.Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal);

        var conflict = await Apply(ns, five, "--field-manager=other");
        var sameValue = await Apply(ns, Deployment, "--field-manager=sharer");
        var forced = await Apply(ns, five, "--field-manager=other", "--force-conflicts");

        conflict.ExitCode.ShouldNotBe(0);
        conflict.Stderr.ShouldContain("Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas");
        sameValue.ExitCode.ShouldBe(0, "applying the value a field already has shares it: " + sameValue.Output);
        forced.ExitCode.ShouldBe(0, forced.Output);
        (await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Stdout.ShouldBe("5");
        var json = await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "--show-managed-fields", "-o", "json");
        var owners = JsonNode.Parse(json.Stdout)!["metadata"]!["managedFields"]!.AsArray()
            .Where(e => e!["fieldsV1"]!["f:spec"]?["f:replicas"] is not null).Select(e => e!["manager"]!.GetValue<string>()).ToList();
        owners.ShouldBe(["other"], "the forced apply took the field over");
    }

    [Fact]
    public async Task Apply_AfterKubectlCreateAndScale_ConflictsWithTheirManagers()
    {
        var ns = plane.Fresh("ssa-update");
        (await Kubectl.RunAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.25", "--replicas=2")).ExitCode.ShouldBe(0);
        (await Kubectl.RunAsync("scale", "deployment", "web", "-n", ns, "--replicas=4")).ExitCode.ShouldBe(0);

        var apply = await Apply(ns, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: "nginx:1.27"}]
            """);

        apply.ExitCode.ShouldNotBe(0);
        apply.Stderr.ShouldContain("Apply failed with 2 conflicts");
        // kubectl scale sends no fieldManager: its manager is the user agent's first word, as kube-apiserver names it.
        apply.Stderr.ShouldContain("conflict with \"kubectl\" using apps/v1: .spec.replicas");
        apply.Stderr.ShouldContain("conflict with \"kubectl-create\" using apps/v1: .spec.template.spec.containers[name=\"nginx\"].image");
        (await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Stdout.ShouldBe("4", "nothing was applied");
    }

    [Fact]
    public async Task Apply_FieldNoLongerApplied_IsRemoved()
    {
        var ns = plane.Fresh("ssa-remove");
        var labelled = Deployment.Replace("  labels: {app: web}\nspec", "  labels: {app: web, tier: front}\nspec", StringComparison.Ordinal);
        (await Apply(ns, labelled)).ExitCode.ShouldBe(0);
        (await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.labels.tier}")).Stdout.ShouldBe("front");

        var again = await Apply(ns, Deployment);

        again.ExitCode.ShouldBe(0, again.Output);
        (await Kubectl.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.labels}")).Stdout.ShouldBe("""{"app":"web"}""");
    }
}
