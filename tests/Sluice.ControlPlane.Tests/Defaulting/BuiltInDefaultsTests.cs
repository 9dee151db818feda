using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Tests.Defaulting;

/// <summary>Kubernetes' defaults for the built-in kinds, through the store as every write goes.</summary>
public sealed class BuiltInDefaultsTests : IDisposable
{
    private static readonly GroupResource Deployments = new("apps", "deployments");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sluice-defaults-" + Guid.NewGuid().ToString("N"));
    private readonly ResourceStore _store;

    public BuiltInDefaultsTests()
    {
        Directory.CreateDirectory(_dir);
        _store = new ResourceStore(Path.Combine(_dir, "store.db"), new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        _store.Create(BuiltInResources.Namespaces, null, Obj("""{"metadata":{"name":"default"}}"""));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static void ShouldEqual(JsonNode? actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).ShouldBeTrue($"got {actual?.ToJsonString()}");

    [Fact]
    public void Create_DeploymentWithoutDefaults_GetsKubernetesDefaults()
    {
        var created = _store.Create(Deployments, "default", Obj("""
            {"metadata":{"name":"api"},"spec":{"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},
             "spec":{"containers":[{"name":"api","image":"nginx:1.27","ports":[{"containerPort":80}],"readinessProbe":{"httpGet":{"path":"/","port":80}}},
                                   {"name":"side","image":"busybox"}]}}}}
            """));

        var spec = created["spec"]!;
        spec["replicas"]!.GetValue<int>().ShouldBe(1);
        spec["revisionHistoryLimit"]!.GetValue<int>().ShouldBe(10);
        spec["progressDeadlineSeconds"]!.GetValue<int>().ShouldBe(600);
        ShouldEqual(spec["strategy"], """{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""");
        var pod = spec["template"]!["spec"]!;
        (pod["restartPolicy"]!.GetValue<string>(), pod["dnsPolicy"]!.GetValue<string>(), pod["schedulerName"]!.GetValue<string>()).ShouldBe(("Always", "ClusterFirst", "default-scheduler"));
        pod["terminationGracePeriodSeconds"]!.GetValue<int>().ShouldBe(30);
        ShouldEqual(pod["securityContext"], "{}");
        var api = pod["containers"]![0]!;
        api["imagePullPolicy"]!.GetValue<string>().ShouldBe("IfNotPresent");
        pod["containers"]![1]!["imagePullPolicy"]!.GetValue<string>().ShouldBe("Always");
        (api["terminationMessagePath"]!.GetValue<string>(), api["terminationMessagePolicy"]!.GetValue<string>()).ShouldBe(("/dev/termination-log", "File"));
        api["ports"]![0]!["protocol"]!.GetValue<string>().ShouldBe("TCP");
        ShouldEqual(api["readinessProbe"], """{"httpGet":{"path":"/","port":80,"scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}""");
        ShouldEqual(api["resources"], "{}");
    }

    [Fact]
    public void Update_WithTheSameSpecWithoutDefaults_ChangesNothing()
    {
        var manifest = """{"metadata":{"name":"api"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"nginx:1.27"}]}}}}""";
        var created = _store.Create(Deployments, "default", Obj(manifest));

        var updated = _store.Update(Deployments, "default", Obj(manifest));

        updated["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(created["metadata"]!["resourceVersion"]!.GetValue<string>());
        updated["metadata"]!["generation"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public void Create_Job_GetsDefaultsAndTheControllersSelector()
    {
        var job = _store.Create(new GroupResource("batch", "jobs"), "default", Obj("""
            {"metadata":{"name":"migrate"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"m","image":"migrate:1"}]}}}}
            """));

        var spec = job["spec"]!;
        (spec["parallelism"]!.GetValue<int>(), spec["completions"]!.GetValue<int>(), spec["backoffLimit"]!.GetValue<int>()).ShouldBe((1, 1, 6));
        (spec["completionMode"]!.GetValue<string>(), spec["suspend"]!.GetValue<bool>()).ShouldBe(("NonIndexed", false));
        var uid = job["metadata"]!["uid"]!.GetValue<string>();
        ShouldEqual(spec["selector"], $$$"""{"matchLabels":{"batch.kubernetes.io/controller-uid":"{{{uid}}}"}}""");
        spec["template"]!["metadata"]!["labels"]!["job-name"]!.GetValue<string>().ShouldBe("migrate");
    }

    [Fact]
    public void Create_JobThatWouldRestartAlways_IsInvalidNamingTheField()
    {
        var error = Should.Throw<ApiException>(() => _store.Create(new GroupResource("batch", "jobs"), "default", Obj("""
            {"metadata":{"name":"migrate"},"spec":{"template":{"spec":{"containers":[{"name":"m","image":"migrate:1"}]}}}}
            """)));

        error.Status.Code.ShouldBe(422);
        error.Status.Message.ShouldContain("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
    }

    [Fact]
    public void Create_Service_GetsProtocolTargetPortTypeAndAClusterIp()
    {
        var service = _store.Create(new GroupResource("", "services"), "default", Obj("""{"metadata":{"name":"api"},"spec":{"selector":{"app":"api"},"ports":[{"port":80}]}}"""));

        var spec = service["spec"]!;
        (spec["type"]!.GetValue<string>(), spec["sessionAffinity"]!.GetValue<string>()).ShouldBe(("ClusterIP", "None"));
        ShouldEqual(spec["ports"], """[{"port":80,"protocol":"TCP","targetPort":80}]""");
        spec["clusterIP"]!.GetValue<string>().ShouldStartWith("10.96.");
        ShouldEqual(spec["clusterIPs"], $"[\"{spec["clusterIP"]!.GetValue<string>()}\"]");
    }

    [Theory]
    [InlineData("batch", "cronjobs", "CronJob")]
    [InlineData("networking.k8s.io", "ingresses", "Ingress")]
    [InlineData("networking.k8s.io", "networkpolicies", "NetworkPolicy")]
    [InlineData("autoscaling", "horizontalpodautoscalers", "HorizontalPodAutoscaler")]
    [InlineData("", "persistentvolumeclaims", "PersistentVolumeClaim")]
    [InlineData("policy", "poddisruptionbudgets", "PodDisruptionBudget")]
    public void Registry_KindsKubeVelasDefinitionsProduce_AreServed(string group, string plural, string kind)
    {
        _store.Registry.Find(new GroupResource(group, plural)).ShouldNotBeNull().Kind.ShouldBe(kind);
    }

    [Fact]
    public void Create_AutoscalerAndClaim_GetTheirDefaults()
    {
        var hpa = _store.Create(new GroupResource("autoscaling", "horizontalpodautoscalers"), "default", Obj("""
            {"metadata":{"name":"api"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"api"},"maxReplicas":4}}
            """));
        var claim = _store.Create(new GroupResource("", "persistentvolumeclaims"), "default", Obj("""
            {"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}
            """));

        hpa["spec"]!["minReplicas"]!.GetValue<int>().ShouldBe(1);
        ShouldEqual(hpa["spec"]!["metrics"], """[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""");
        claim["spec"]!["volumeMode"]!.GetValue<string>().ShouldBe("Filesystem");
        claim["status"]!["phase"]!.GetValue<string>().ShouldBe("Pending");
    }
}
