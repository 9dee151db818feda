using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Applications with traits on the embedded plane, as a KubeVela user writes them: the traits reach the objects
/// applied, a trait change is a new revision, and what Sluice cannot do is refused with the field named and nothing applied.
/// </summary>
public class TraitTests
{
    private static readonly ResourceKind Ingress = new("networking.k8s.io", "v1", "Ingress", "ingresses");

    private static string App(string name, string traits, string type = "worker", string extraSpec = "") => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {name}
        spec:
          components:
            - name: api
              type: {type}
              properties:
                image: nginx:1.27
              traits:
        {traits}
        {extraSpec}
        """;

    private static async Task<JsonObject> WaitForAppAsync(TestCluster cluster, string name, Func<JsonObject, bool> done, string what)
    {
        JsonObject? app = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            app = await cluster.GetAsync(ResourceKind.Application, name);
            return app is not null && done(app);
        }, TimeSpan.FromSeconds(60), () => $"{what}; the application's status is {app?["status"]?.ToJsonString() ?? "(none)"}");
        return app!;
    }

    private static JsonObject? Condition(JsonObject app, string type) =>
        (app["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    /// <summary>Events are sent asynchronously, after the status is written: wait for one.</summary>
    private static async Task WaitForEventAsync(TestCluster cluster, string name, string reason)
    {
        var events = "";
        await Eventually.WaitUntilAsync(async () => (events = await EventsAsync(cluster, name)).Contains(reason, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), () => $"an Event {reason} on {name}; the events are {events}");
    }

    private static async Task<string> EventsAsync(TestCluster cluster, string name) =>
        await cluster.Kubectl.RunAsync("get", "events", "--field-selector", $"involvedObject.name={name}", "-o", "custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message");

    [Fact]
    public async Task Traits_ScalerLabelsAndExpose_ReachTheAppliedObjectsAndTheAppRuns()
    {
        await using var cluster = await TestCluster.StartAsync();

        // Given a worker with a scaler, a labels and an expose trait
        await cluster.ApplyYamlAsync(App("shop", """
                    - type: scaler
                      properties:
                        replicas: 3
                    - type: labels
                      properties:
                        team: payments
                    - type: expose
                      properties:
                        port: [8080]
            """));

        // Then the Deployment has 3 replicas and the label on itself and its pods, and the Service exists
        var app = await WaitForAppAsync(cluster, "shop", a => a["status"]?["status"]?.GetValue<string>() == "running", "phase running");
        var deployment = (await cluster.GetAsync(ResourceKind.Deployment, "api"))!;
        deployment["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
        deployment["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("payments");
        deployment["spec"]!["template"]!["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("payments");
        var service = (await cluster.GetAsync(ResourceKind.Service, "api"))!;
        service["spec"]!["ports"]![0]!["port"]!.GetValue<int>().ShouldBe(8080);
        service["metadata"]!["labels"]!["trait.oam.dev/type"]!.GetValue<string>().ShouldBe("expose");
        service["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>().ShouldBe("shop");

        // And the status says so: the phase, the component's health and its traits, Rendered and Applied
        Condition(app, "Rendered")!["status"]!.GetValue<string>().ShouldBe("True");
        Condition(app, "Applied")!["status"]!.GetValue<string>().ShouldBe("True");
        var serviceStatus = app["status"]!["services"]![0]!;
        serviceStatus["name"]!.GetValue<string>().ShouldBe("api");
        serviceStatus["healthy"]!.GetValue<bool>().ShouldBeTrue();
        serviceStatus["message"]!.GetValue<string>().ShouldBe("Ready:3/3");
        serviceStatus["traits"]!.AsArray().Select(t => t!["type"]!.GetValue<string>()).ShouldBe(["scaler", "labels", "expose"]);

        // And kubectl shows the phase
        (await cluster.Kubectl.RunAsync("get", "applications")).ShouldContain("running");

        // When the scaler changes, a new revision holds the new workload and the Deployment follows
        await cluster.ApplyYamlAsync(App("shop", """
                    - type: scaler
                      properties:
                        replicas: 2
                    - type: labels
                      properties:
                        team: payments
                    - type: expose
                      properties:
                        port: [8080]
            """));
        await Eventually.WaitUntilAsync(async () => (await cluster.GetAsync(ResourceKind.Deployment, "api"))?["spec"]?["replicas"]?.GetValue<int>() == 2,
            TimeSpan.FromSeconds(30), () => "the Deployment scaled to 2");
        var revision = (await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2"))!;
        revision["spec"]!["components"]![0]!["workload"]!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
        revision["spec"]!["components"]![0]!["revision"]!.GetValue<string>().ShouldBe("api-v2");

        // And a change of a pod-disruptive trait (labels) is announced; the scaler's was not
        (await EventsAsync(cluster, "shop")).ShouldNotContain("PodDisruptiveTraitChanged");
        await cluster.ApplyYamlAsync(App("shop", """
                    - type: scaler
                      properties:
                        replicas: 2
                    - type: labels
                      properties:
                        team: checkout
                    - type: expose
                      properties:
                        port: [8080]
            """));
        await Eventually.WaitUntilAsync(async () => (await EventsAsync(cluster, "shop")).Contains("PodDisruptiveTraitChanged", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), () => "a PodDisruptiveTraitChanged event");
        (await EventsAsync(cluster, "shop")).ShouldContain("shop-v3 changes the pod-disruptive trait(s) labels of component \"api\"");
    }

    [Fact]
    public async Task UnknownTraitType_IsRefusedNamingTheFieldAndNothingIsApplied()
    {
        await using var cluster = await TestCluster.StartAsync();

        await cluster.ApplyYamlAsync(App("shop", """
                    - type: scaler
                      properties:
                        replicas: 3
                    - type: autoscale-magic
            """));

        var app = await WaitForAppAsync(cluster, "shop", a => Condition(a, "Rendered")?["reason"]?.GetValue<string>() == "TraitDefinitionNotFound", "a TraitDefinitionNotFound condition");
        Condition(app, "Rendered")!["message"]!.GetValue<string>().ShouldBe(
            "component \"api\": spec.components[0].traits[1].type: Unsupported value: \"autoscale-magic\": no TraitDefinition \"autoscale-magic\" in namespace \"default\" or \"vela-system\"; nothing was applied");
        app["status"]!["status"]!.GetValue<string>().ShouldBe("rendering");
        await WaitForEventAsync(cluster, "shop", "TraitDefinitionNotFound");
        (await cluster.GetAsync(ResourceKind.Deployment, "api")).ShouldBeNull();
        (await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v1")).ShouldBeNull();
    }

    [Fact]
    public async Task TraitThatDoesNotApplyToTheWorkload_IsRefusedAndNothingIsApplied()
    {
        await using var cluster = await TestCluster.StartAsync();

        // cpuscaler applies to Deployments, StatefulSets and CloneSets, not to a DaemonSet
        await cluster.ApplyYamlAsync(App("shop", """
                    - type: cpuscaler
                      properties:
                        max: 4
            """, type: "daemon"));

        var app = await WaitForAppAsync(cluster, "shop", a => Condition(a, "Rendered")?["reason"]?.GetValue<string>() == "TraitNotApplicable", "a TraitNotApplicable condition");
        Condition(app, "Rendered")!["message"]!.GetValue<string>().ShouldBe(
            "component \"api\": spec.components[0].traits[0].type: trait \"cpuscaler\" does not apply to component type \"daemon\" (a daemonsets.apps): "
            + "TraitDefinition cpuscaler spec.appliesToWorkloads is [deployments.apps, statefulsets.apps, clonesets.apps.kruise.io]; nothing was applied");
        await WaitForEventAsync(cluster, "shop", "TraitNotApplicable");
        (await cluster.GetAsync(ResourceKind.DaemonSet, "api")).ShouldBeNull();
    }

    [Fact]
    public async Task PoliciesOnTheApplication_AreRefusedNamingTheFieldAndNothingIsApplied()
    {
        await using var cluster = await TestCluster.StartAsync();

        await cluster.ApplyYamlAsync(App("shop", """
                    - type: scaler
                      properties:
                        replicas: 2
            """, extraSpec: """
              policies:
                - name: health
                  type: health
            """));

        var app = await WaitForAppAsync(cluster, "shop", a => Condition(a, "Rendered")?["reason"]?.GetValue<string>() == "UnsupportedField", "an UnsupportedField condition");
        Condition(app, "Rendered")!["message"]!.GetValue<string>().ShouldBe("spec.policies: Unsupported field: Sluice does not implement KubeVela's policies; nothing was applied");
        await WaitForEventAsync(cluster, "shop", "UnsupportedField");
        (await cluster.GetAsync(ResourceKind.Deployment, "api")).ShouldBeNull();
    }

    [Fact]
    public async Task ConflictingTraits_AreRefused()
    {
        await using var cluster = await TestCluster.StartAsync();

        await cluster.ApplyYamlAsync(App("shop", """
                    - type: scaler
                      properties:
                        replicas: 2
                    - type: cpuscaler
            """));

        var app = await WaitForAppAsync(cluster, "shop", a => Condition(a, "Rendered")?["reason"]?.GetValue<string>() == "TraitConflict", "a TraitConflict condition");
        Condition(app, "Rendered")!["message"]!.GetValue<string>().ShouldBe(
            "component \"api\": spec.components[0].traits: trait \"cpuscaler\" conflicts with trait \"scaler\" (TraitDefinition cpuscaler spec.conflictsWith: [scaler]); nothing was applied");
        (await cluster.GetAsync(ResourceKind.Deployment, "api")).ShouldBeNull();
    }

    [Fact]
    public async Task AnOutputOfAKindThePlaneDoesNotServe_PutsAConditionAndAnEventOnTheApplication()
    {
        await using var cluster = await TestCluster.StartAsync();

        // A trait of the user's own whose output is a kind no API server serves
        await cluster.ApplyYamlAsync("""
            apiVersion: core.oam.dev/v1beta1
            kind: TraitDefinition
            metadata:
              name: gadget
            spec:
              schematic:
                cue:
                  template: |
                    outputs: gadget: {
                        apiVersion: "example.com/v1"
                        kind:       "Gadget"
                        metadata: name: context.name
                    }
            """);
        await cluster.ApplyYamlAsync(App("shop", """
                    - type: gadget
            """));

        var app = await WaitForAppAsync(cluster, "shop", a => Condition(a, "Applied")?["status"]?.GetValue<string>() == "False", "an Applied=False condition");
        Condition(app, "Applied")!["message"]!.GetValue<string>().ShouldStartWith("Gadget/api: the API server does not serve Gadget in example.com/v1");
        app["status"]!["status"]!.GetValue<string>().ShouldBe("unhealthy");
        await WaitForEventAsync(cluster, "shop", "ApplyFailed");
    }
}
