using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Definitions;

/// <summary>
/// The built-in TraitDefinitions of deploy/definitions on a worker (a Deployment) named "api" of application "shop":
/// each test asserts the whole workload after the patch, and the resources the trait adds.
/// </summary>
public class BuiltInTraitTests
{
    private const string Worker = """{"image":"nginx:1.27"}""";

    private static JsonObject Rendered(params (string Type, string Properties)[] traits) => Rendered(Worker, traits);

    private static JsonObject Rendered(string workerProperties, params (string Type, string Properties)[] traits)
    {
        var result = BuiltIn.RenderWithTraits("worker", workerProperties, traits);
        result.Error.ShouldBeNull();
        return result.Value.Output;
    }

    private static CueResult<RenderedComponent> Render(params (string Type, string Properties)[] traits) => BuiltIn.RenderWithTraits("worker", Worker, traits);

    /// <summary>The worker's Deployment with <paramref name="podSpec"/> as its pod spec and extra fields merged in.</summary>
    private static JsonNode Deployment(string podSpec, int replicas = 1, string metadata = """{"labels":{"app.oam.dev/component":"api"}}""", string templateMetadata = """{"labels":{"app.oam.dev/component":"api"}}""") =>
        JsonNode.Parse($$$"""
            {
              "apiVersion": "apps/v1",
              "kind": "Deployment",
              "metadata": {{{metadata}}},
              "spec": {
                "replicas": {{{replicas}}},
                "selector": {"matchLabels": {"app.oam.dev/component": "api"}},
                "template": {
                  "metadata": {{{templateMetadata}}},
                  "spec": {{{podSpec}}}
                }
              }
            }
            """)!;

    private const string OwnContainer = """{"name":"api","image":"nginx:1.27"}""";

    [Fact]
    public void Scaler_Replicas_OverridesTheComponentsDefault()
    {
        JsonAssert.Equal(Deployment($$$"""{"containers":[{{{OwnContainer}}}]}""", replicas: 3), Rendered(("scaler", """{"replicas":3}""")));
    }

    [Fact]
    public void Scaler_ConflictingWithReplicasTheComponentSets_IsAConflictNamingTheField()
    {
        var result = BuiltIn.RenderWithTraits("worker", """{"image":"nginx:1.27","replicas":5}""", ("scaler", """{"replicas":3}"""));

        result.Error.ShouldNotBeNull();
        result.Error.Kind.ShouldBe(CueErrorKind.Conflict);
        result.Error.Message.ShouldBe("trait \"scaler\": patch spec.replicas: conflicting values 5 (the workload's) and 3 (the patch's)");
    }

    [Fact]
    public void Labels_AddToTheWorkloadAndItsPods()
    {
        JsonAssert.Equal(
            Deployment($$$"""{"containers":[{{{OwnContainer}}}]}""",
                metadata: """{"labels":{"app.oam.dev/component":"api","team":"payments"}}""",
                templateMetadata: """{"labels":{"app.oam.dev/component":"api","team":"payments"}}"""),
            Rendered(("labels", """{"team":"payments"}""")));
    }

    [Fact]
    public void Annotations_AddToTheWorkloadAndItsPods()
    {
        JsonAssert.Equal(
            Deployment($$$"""{"containers":[{{{OwnContainer}}}]}""",
                metadata: """{"labels":{"app.oam.dev/component":"api"},"annotations":{"example.com/owner":"payments"}}""",
                templateMetadata: """{"labels":{"app.oam.dev/component":"api"},"annotations":{"example.com/owner":"payments"}}"""),
            Rendered(("annotations", """{"example.com/owner":"payments"}""")));
    }

    [Fact]
    public void Env_AddsVariablesAndReplacesOnesTheContainerHas()
    {
        var worker = """{"image":"nginx:1.27","env":[{"name":"LOG_LEVEL","value":"info"},{"name":"KEEP","value":"1"}]}""";

        JsonAssert.Equal(
            Deployment("""{"containers":[{"name":"api","image":"nginx:1.27","env":[{"name":"LOG_LEVEL","value":"debug"},{"name":"KEEP","value":"1"},{"name":"NEW","value":"x"}]}]}"""),
            Rendered(worker, ("env", """{"env":{"LOG_LEVEL":"debug","NEW":"x"}}""")));
    }

    [Fact]
    public void Sidecar_AddsASecondContainer()
    {
        JsonAssert.Equal(
            Deployment($$$"""{"containers":[{{{OwnContainer}}},{"name":"proxy","image":"envoy:1.30","args":["-c","/etc/envoy.yaml"],"volumeMounts":[{"name":"conf","mountPath":"/etc/envoy"}]}]}"""),
            Rendered(("sidecar", """{"name":"proxy","image":"envoy:1.30","args":["-c","/etc/envoy.yaml"],"volumes":[{"name":"conf","path":"/etc/envoy"}]}""")));
    }

    [Fact]
    public void InitContainer_SharesAVolumeWithTheComponentsContainer()
    {
        JsonAssert.Equal(
            Deployment("""
                {
                  "containers": [{"name":"api","image":"nginx:1.27","volumeMounts":[{"name":"workdir","mountPath":"/usr/share/nginx/html"}]}],
                  "initContainers": [{"name":"fetch","image":"busybox:1.36","command":["wget","-O","/work/index.html","http://example.com"],"volumeMounts":[{"name":"workdir","mountPath":"/work"}]}],
                  "volumes": [{"name":"workdir","emptyDir":{}}]
                }
                """),
            Rendered(("init-container", """{"name":"fetch","image":"busybox:1.36","cmd":["wget","-O","/work/index.html","http://example.com"],"appMountPath":"/usr/share/nginx/html","initMountPath":"/work"}""")));
    }

    [Fact]
    public void Expose_AddsAServiceOnThePorts()
    {
        var result = Render(("expose", """{"port":[80,9090],"type":"NodePort"}"""));

        result.Error.ShouldBeNull();
        JsonAssert.Equal(Deployment($$$"""{"containers":[{{{OwnContainer}}}]}"""), result.Value.Output);
        var service = result.Value.TraitOutputs.ShouldHaveSingleItem();
        (service.TraitType, service.Name).ShouldBe(("expose", "service"));
        JsonAssert.Equal(JsonNode.Parse("""
            {
              "apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
              "spec": {"type": "NodePort", "selector": {"app.oam.dev/component": "api"},
                       "ports": [{"port": 80, "targetPort": 80}, {"port": 9090, "targetPort": 9090}]}
            }
            """), service.Object);
    }

    [Fact]
    public void Ingress_RoutesTheDomainsPathsToTheComponentsService()
    {
        var result = Render(("ingress", """{"domain":"shop.example.com","http":{"/":80,"/api":8080},"class":"nginx"}"""));

        result.Error.ShouldBeNull();
        var ingress = result.Value.TraitOutputs.ShouldHaveSingleItem();
        JsonAssert.Equal(JsonNode.Parse("""
            {
              "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "api"},
              "spec": {
                "ingressClassName": "nginx",
                "rules": [{"host": "shop.example.com", "http": {"paths": [
                  {"path": "/", "pathType": "ImplementationSpecific", "backend": {"service": {"name": "api", "port": {"number": 80}}}},
                  {"path": "/api", "pathType": "ImplementationSpecific", "backend": {"service": {"name": "api", "port": {"number": 8080}}}}
                ]}}]
              }
            }
            """), ingress.Object);
    }

    [Fact]
    public void Resource_SetsRequestsAndLimitsOfTheFirstContainer()
    {
        JsonAssert.Equal(
            Deployment("""{"containers":[{"name":"api","image":"nginx:1.27","resources":{"requests":{"cpu":0.5,"memory":"256Mi"},"limits":{"cpu":0.5,"memory":"256Mi"}}}]}"""),
            Rendered(("resource", """{"cpu":0.5,"memory":"256Mi"}""")));
    }

    [Fact]
    public void Resource_BadMemoryQuantity_NamesTheParameter()
    {
        var result = Render(("resource", """{"memory":"lots"}"""));

        result.Error.ShouldNotBeNull();
        result.Error.Message.ShouldStartWith("trait \"resource\": parameter \"memory\"");
        result.Error.Message.ShouldContain("\"lots\"");
    }

    [Fact]
    public void Volumes_AddEachKindOfVolume()
    {
        JsonAssert.Equal(
            Deployment($$$"""
                {
                  "containers": [{{{OwnContainer}}}],
                  "volumes": [
                    {"name":"data","persistentVolumeClaim":{"claimName":"data-claim"}},
                    {"name":"conf","configMap":{"name":"shop-conf","defaultMode":420}},
                    {"name":"keys","secret":{"secretName":"shop-keys","defaultMode":256,"items":[{"key":"tls.key","path":"key","mode":511}]}},
                    {"name":"scratch","emptyDir":{"medium":"Memory"}}
                  ]
                }
                """),
            Rendered(("volumes", """
                {"volumes":[
                  {"name":"data","type":"pvc","claimName":"data-claim"},
                  {"name":"conf","type":"configMap","cmName":"shop-conf"},
                  {"name":"keys","type":"secret","secretName":"shop-keys","defaultMode":256,"items":[{"key":"tls.key","path":"key"}]},
                  {"name":"scratch","type":"emptyDir","medium":"Memory"}
                ]}
                """)));
    }

    [Fact]
    public void HostAlias_AddsHostsEntries()
    {
        JsonAssert.Equal(
            Deployment($$$"""{"containers":[{{{OwnContainer}}}],"hostAliases":[{"ip":"10.0.0.5","hostnames":["db.local","db"]}]}"""),
            Rendered(("hostalias", """{"hostAliases":[{"ip":"10.0.0.5","hostnames":["db.local","db"]}]}""")));
    }

    [Fact]
    public void Lifecycle_AddsHooksToTheFirstContainer()
    {
        JsonAssert.Equal(
            Deployment("""{"containers":[{"name":"api","image":"nginx:1.27","lifecycle":{"postStart":{"exec":{"command":["/bin/warm-up"]}},"preStop":{"httpGet":{"path":"/drain","port":8080,"scheme":"HTTP"}}}}]}"""),
            Rendered(("lifecycle", """{"postStart":{"exec":{"command":["/bin/warm-up"]}},"preStop":{"httpGet":{"path":"/drain","port":8080}}}""")));
    }

    [Fact]
    public void NodeAffinity_RequiresNodeLabelsAndToleratesTaints()
    {
        JsonAssert.Equal(
            Deployment($$$"""
                {
                  "containers": [{{{OwnContainer}}}],
                  "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]}
                  ]}}
                  },
                  "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "shop", "effect": "NoSchedule"}]
                }
                """),
            Rendered(("node-affinity", """{"affinity":{"zone":["a","b"]},"tolerations":{"dedicated":"shop"}}""")));
    }

    [Fact]
    public void CpuScaler_AddsAnAutoscalerForTheWorkloadsKind()
    {
        var result = Render(("cpuscaler", """{"min":2,"max":6}"""));

        result.Error.ShouldBeNull();
        var hpa = result.Value.TraitOutputs.ShouldHaveSingleItem();
        JsonAssert.Equal(JsonNode.Parse("""
            {
              "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "api"},
              "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
                "minReplicas": 2, "maxReplicas": 6,
                "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]
              }
            }
            """), hpa.Object);
    }

    [Fact]
    public void SeveralTraits_ApplyInOrderEachSeeingTheLastOnesResult()
    {
        JsonAssert.Equal(
            Deployment("""{"containers":[{"name":"api","image":"nginx:1.27","env":[{"name":"A","value":"1"}]},{"name":"proxy","image":"envoy:1.30"}]}""",
                replicas: 4,
                metadata: """{"labels":{"app.oam.dev/component":"api","team":"payments"}}""",
                templateMetadata: """{"labels":{"app.oam.dev/component":"api","team":"payments"}}"""),
            Rendered(("scaler", """{"replicas":4}"""), ("labels", """{"team":"payments"}"""), ("sidecar", """{"name":"proxy","image":"envoy:1.30"}"""), ("env", """{"env":{"A":"1"}}""")));
    }

    [Fact]
    public void Trait_UndeclaredProperty_NamesTheTraitAndTheProperty()
    {
        var result = Render(("scaler", """{"replica":3}"""));

        result.Error.ShouldNotBeNull();
        result.Error.Kind.ShouldBe(CueErrorKind.UndeclaredParameter);
        result.Error.Message.ShouldBe("trait \"scaler\": parameter \"replica\" is not declared (value 3)");
    }

    [Fact]
    public void Trait_MissingRequiredProperty_NamesIt()
    {
        var result = Render(("sidecar", """{"name":"proxy"}"""));

        result.Error.ShouldNotBeNull();
        result.Error.Message.ShouldBe("trait \"sidecar\": parameter \"image\" is required but was not given (type string)");
    }
}
