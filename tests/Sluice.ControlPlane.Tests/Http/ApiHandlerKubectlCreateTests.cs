using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Http;

/// <summary>
/// Every <c>kubectl create</c> subcommand of kubectl 1.32: kubectl sends these bodies as protobuf
/// (<c>application/vnd.kubernetes.protobuf</c>), and the plane decodes them and answers in JSON.
/// </summary>
public sealed class ApiHandlerKubectlCreateTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private Kubectl Kubectl => plane.Kubectl;

    private async Task<string> Get(string ns, string what, string jsonPath)
    {
        var result = await Kubectl.RunAsync("get", "-n", ns, what, "-o", $"jsonpath={jsonPath}");
        result.ExitCode.ShouldBe(0, result.Output);
        return result.Stdout;
    }

    private async Task Create(string ns, params string[] args)
    {
        var result = await Kubectl.RunAsync(["create", "-n", ns, .. args]);
        result.ExitCode.ShouldBe(0, result.Output);
        result.Stdout.ShouldContain("created");
    }

    [Fact]
    public async Task Create_ConfigMapSecretsAndServiceAccount_StoresTheirData()
    {
        var ns = plane.Fresh("pb-data");

        await Create(ns, "configmap", "cfg", "--from-literal=a=b", "--from-literal=c=d");
        await Create(ns, "secret", "generic", "s", "--from-literal=k=v");
        await Create(ns, "secret", "docker-registry", "reg", "--docker-username=u", "--docker-password=p", "--docker-server=r.example");
        await Create(ns, "secret", "tls", "tls", "--cert", Path.Combine(plane.DataDir, "pki", "server.crt"), "--key", Path.Combine(plane.DataDir, "pki", "server.key"));
        await Create(ns, "serviceaccount", "bot");

        (await Get(ns, "cm/cfg", "{.data.a}{.data.c}")).ShouldBe("bd");
        (await Get(ns, "secret/s", "{.data.k}")).ShouldBe("dg==");
        (await Get(ns, "secret/reg", "{.type}")).ShouldBe("kubernetes.io/dockerconfigjson");
        (await Get(ns, "secret/tls", "{.type}")).ShouldBe("kubernetes.io/tls");
        (await Get(ns, "sa/bot", "{.metadata.name}")).ShouldBe("bot");
    }

    [Fact]
    public async Task Create_NamespaceAndPriorityClass_AreClusterScoped()
    {
        var name = "pb-ns-" + Guid.NewGuid().ToString("N")[..8];

        var ns = await Kubectl.RunAsync("create", "namespace", name);
        var pc = await Kubectl.RunAsync("create", "priorityclass", name, "--value=1000", "--description=high");

        ns.ExitCode.ShouldBe(0, ns.Output);
        pc.ExitCode.ShouldBe(0, pc.Output);
        (await Kubectl.RunAsync("get", "ns", name, "-o", "jsonpath={.status.phase}")).Stdout.ShouldBe("Active");
        (await Kubectl.RunAsync("get", "priorityclass", name, "-o", "jsonpath={.value} {.description}")).Stdout.ShouldBe("1000 high");
    }

    [Fact]
    public async Task Create_WorkloadKinds_KeepWhatKubectlSet()
    {
        var ns = plane.Fresh("pb-work");

        await Create(ns, "deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=80");
        await Create(ns, "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *", "--", "echo", "hi");
        await Create(ns, "job", "once", "--image=busybox", "--", "echo", "once");
        await Create(ns, "job", "from-cj", "--from=cronjob/cj");

        // --replicas=0 is a pointer field set to zero: it must stay 0, not vanish and default to 1.
        (await Get(ns, "deploy/web", "{.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}"))
            .ShouldBe("0 nginx:1.27 80");
        (await Get(ns, "cronjob/cj", "{.spec.schedule} {.spec.jobTemplate.spec.template.spec.containers[0].command}")).ShouldBe("""*/5 * * * * ["echo","hi"]""");
        (await Get(ns, "job/once", "{.spec.template.spec.restartPolicy}")).ShouldBe("Never");
        (await Get(ns, "job/from-cj", "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.metadata.ownerReferences[0].kind}")).ShouldBe("manual CronJob");
    }

    [Fact]
    public async Task Create_ServicesOfEveryType_StoresPortsAndType()
    {
        var ns = plane.Fresh("pb-svc");

        await Create(ns, "service", "clusterip", "cip", "--tcp=80:8080");
        await Create(ns, "service", "nodeport", "np", "--tcp=443:8443");
        await Create(ns, "service", "loadbalancer", "lb", "--tcp=5678:8080");
        await Create(ns, "service", "externalname", "ext", "--external-name=example.com");

        // targetPort is an IntOrString: a number here.
        (await Get(ns, "svc/cip", "{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort}")).ShouldBe("ClusterIP 80 8080");
        (await Get(ns, "svc/np", "{.spec.type}")).ShouldBe("NodePort");
        (await Get(ns, "svc/lb", "{.spec.type}")).ShouldBe("LoadBalancer");
        (await Get(ns, "svc/ext", "{.spec.type} {.spec.externalName}")).ShouldBe("ExternalName example.com");
    }

    [Fact]
    public async Task Create_RbacKinds_StoreRulesAndSubjects()
    {
        var ns = plane.Fresh("pb-rbac");
        var suffix = Guid.NewGuid().ToString("N")[..8];

        await Create(ns, "role", "reader", "--verb=get,list", "--resource=pods,configmaps", "--resource-name=one");
        await Create(ns, "rolebinding", "reader", "--role=reader", $"--serviceaccount={ns}:bot", "--user=alice", "--group=devs");
        await Create(ns, "clusterrole", "nodes-" + suffix, "--verb=get", "--resource=nodes", "--non-resource-url=/healthz");
        await Create(ns, "clusterrolebinding", "nodes-" + suffix, "--clusterrole=nodes-" + suffix, "--user=bob");

        (await Get(ns, "role/reader", "{.rules[0].verbs} {.rules[0].resources} {.rules[0].resourceNames}")).ShouldBe("""["get","list"] ["pods","configmaps"] ["one"]""");
        (await Get(ns, "rolebinding/reader", "{.roleRef.kind}/{.roleRef.name} {.subjects[*].kind}")).ShouldBe("Role/reader User Group ServiceAccount");
        (await Get(ns, "clusterrole/nodes-" + suffix, "{.rules[1].nonResourceURLs}")).ShouldBe("""["/healthz"]""");
        (await Get(ns, "clusterrolebinding/nodes-" + suffix, "{.subjects[0].name}")).ShouldBe("bob");
    }

    [Fact]
    public async Task Create_PolicyNetworkingAndQuota_StoresTheirSpecs()
    {
        var ns = plane.Fresh("pb-misc");

        await Create(ns, "poddisruptionbudget", "pdb", "--selector=app=web", "--min-available=50%");
        await Create(ns, "ingress", "ing", "--rule=foo.example/bar*=svc1:8080,tls=cert", "--class=nginx");
        await Create(ns, "quota", "q", "--hard=pods=10,cpu=2,memory=1Gi", "--scopes=NotTerminating");

        (await Get(ns, "pdb/pdb", "{.spec.minAvailable} {.spec.selector.matchLabels.app}")).ShouldBe("50% web");
        (await Get(ns, "ingress/ing", "{.spec.ingressClassName} {.spec.rules[0].host} {.spec.rules[0].http.paths[0].pathType} {.spec.rules[0].http.paths[0].backend.service.port.number} {.spec.tls[0].secretName}"))
            .ShouldBe("nginx foo.example Prefix 8080 cert");
        (await Get(ns, "quota/q", "{.spec.hard.cpu} {.spec.hard.memory} {.spec.scopes}")).ShouldBe("""2 1Gi ["NotTerminating"]""");
    }

    [Fact]
    public async Task Run_Pod_IsCreatedFromProtobuf()
    {
        var ns = plane.Fresh("pb-run");

        var result = await Kubectl.RunAsync("run", "p1", "-n", ns, "--image=nginx", "--labels=app=x", "--env=A=b", "--port=80");

        result.ExitCode.ShouldBe(0, result.Output);
        (await Get(ns, "pod/p1", "{.metadata.labels.app} {.spec.containers[0].env[0].value} {.spec.containers[0].ports[0].containerPort}")).ShouldBe("x b 80");
    }
}
