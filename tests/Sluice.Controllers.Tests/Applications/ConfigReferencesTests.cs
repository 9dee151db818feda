using System.Text.Json.Nodes;
using Sluice.Controllers.Applications;

namespace Sluice.Controllers.Tests.Applications;

/// <summary>Which ConfigMaps and Secrets a rendered workload's pods read, wherever the pod spec is, and pointing them elsewhere.</summary>
public sealed class ConfigReferencesTests
{
    private static JsonObject Workload() => JsonNode.Parse("""
        {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"web"},
         "spec":{"template":{"spec":{
           "volumes":[{"name":"config","configMap":{"name":"web-config"}},{"name":"tls","secret":{"secretName":"web-tls"}},
                      {"name":"all","projected":{"sources":[{"configMap":{"name":"shared"}},{"secret":{"name":"token"}}]}},{"name":"tmp","emptyDir":{}}],
           "initContainers":[{"name":"init","envFrom":[{"configMapRef":{"name":"web-config"}}]}],
           "containers":[{"name":"app","image":"nginx",
             "envFrom":[{"secretRef":{"name":"web-env"}}],
             "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"configMapKeyRef":{"name":"flags","key":"b"}}},
                    {"name":"C","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]}]}}}}
        """)!.AsObject();

    [Fact]
    public void Find_EveryKindOfReference_EachOnceInTheOrderFound()
    {
        ConfigReferences.Find(Workload()).ShouldBe([
            ("ConfigMap", "web-config"), ("Secret", "web-tls"), ("ConfigMap", "shared"), ("Secret", "token"),
            ("Secret", "web-env"), ("ConfigMap", "flags"), ("Secret", "db"),
        ]);
    }

    [Fact]
    public void Find_PodSpecOfACronJob_IsFoundWhereverItIs()
    {
        var cronJob = JsonNode.Parse("""
            {"kind":"CronJob","spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","envFrom":[{"configMapRef":{"name":"job-config"}}]}]}}}}}}
            """);

        ConfigReferences.Find(cronJob).ShouldBe([("ConfigMap", "job-config")]);
    }

    [Fact]
    public void Rename_SomeReferences_PointsEachUseAtTheNewNameAndLeavesTheRest()
    {
        var workload = Workload();

        ConfigReferences.Rename(workload, (kind, name) => (kind, name) switch
        {
            ("ConfigMap", "web-config") => "web-config-abc",
            ("Secret", "db") => "db-def",
            _ => null,
        });

        var pod = workload["spec"]!["template"]!["spec"]!;
        pod["volumes"]![0]!["configMap"]!["name"]!.GetValue<string>().ShouldBe("web-config-abc");
        pod["initContainers"]![0]!["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>().ShouldBe("web-config-abc");
        pod["containers"]![0]!["env"]![2]!["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>().ShouldBe("db-def");
        pod["volumes"]![1]!["secret"]!["secretName"]!.GetValue<string>().ShouldBe("web-tls");
        pod["containers"]![0]!["env"]![1]!["valueFrom"]!["configMapKeyRef"]!["name"]!.GetValue<string>().ShouldBe("flags");
    }
}
