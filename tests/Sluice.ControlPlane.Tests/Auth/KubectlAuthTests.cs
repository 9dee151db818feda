using System.Net;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Auth;

/// <summary>
/// Service account tokens and RBAC through kubectl: <c>kubectl create token</c>, a kubeconfig holding that token,
/// <c>kubectl auth can-i [--list]</c>, <c>--as</c>, and 403s worded as kube-apiserver words them.
/// </summary>
public sealed class KubectlAuthTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private Kubectl Admin => plane.Kubectl;

    /// <summary>A service account in a fresh namespace, and kubectl with a token of it from <c>kubectl create token</c>.</summary>
    private async Task<(string Ns, Kubectl Kubectl, string Token)> ServiceAccount(string prefix)
    {
        var ns = plane.Fresh(prefix);
        (await Admin.RunAsync("create", "serviceaccount", "bot", "-n", ns)).ExitCode.ShouldBe(0);
        var token = await Admin.RunAsync("create", "token", "bot", "-n", ns, "--duration=1h");
        token.ExitCode.ShouldBe(0, token.Output);
        var path = Path.Combine(plane.DataDir, $"kubeconfig-{ns}");
        var admin = await File.ReadAllTextAsync(plane.Plane.KubeconfigPath);
        await File.WriteAllTextAsync(path, admin.Replace(plane.Plane.Token, token.Stdout.Trim(), StringComparison.Ordinal)
            .Replace("namespace: default", $"namespace: {ns}", StringComparison.Ordinal));
        return (ns, new Kubectl(path), token.Stdout.Trim());
    }

    private async Task<(string Ns, Kubectl Kubectl, string Token)> Reader(string prefix)
    {
        var ns = plane.Fresh(prefix);
        (await Admin.RunAsync("create", "serviceaccount", "bot", "-n", ns)).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "role", "reader", "-n", ns, "--verb=get,list,watch", "--resource=configmaps")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "rolebinding", "reader", "-n", ns, "--role=reader", $"--serviceaccount={ns}:bot")).ExitCode.ShouldBe(0);
        var token = (await Admin.RunAsync("create", "token", "bot", "-n", ns)).Stdout.Trim();
        var path = Path.Combine(plane.DataDir, $"kubeconfig-{ns}");
        plane.Plane.WriteServiceAccountKubeconfig(ns, "bot", TimeSpan.FromHours(1), path);
        return (ns, new Kubectl(path), token);
    }

    [Fact]
    public async Task CanI_Admin_MayDoAnything()
    {
        var yes = await Admin.RunAsync("auth", "can-i", "delete", "nodes");
        var list = await Admin.RunAsync("auth", "can-i", "--list");

        yes.ExitCode.ShouldBe(0, yes.Output);
        yes.Stdout.Trim().ShouldBe("yes");
        list.Stdout.ShouldMatch(@"\*\.\*\s+\[\]\s+\[\]\s+\[\*\]");
    }

    [Fact]
    public async Task CanI_ServiceAccountWithARole_YesInsideItNoOutside()
    {
        var (ns, bot, _) = await Reader("can-i");

        var get = await bot.RunAsync("auth", "can-i", "get", "configmaps");
        var create = await bot.RunAsync("auth", "can-i", "create", "configmaps");
        var elsewhere = await bot.RunAsync("auth", "can-i", "get", "configmaps", "-n", "default");
        var list = await bot.RunAsync("auth", "can-i", "--list");
        var asBot = await Admin.RunAsync("auth", "can-i", "list", "configmaps", "-n", ns, $"--as=system:serviceaccount:{ns}:bot");

        get.Stdout.Trim().ShouldBe("yes");
        create.Stdout.Trim().ShouldBe("no");
        create.ExitCode.ShouldBe(1);
        elsewhere.Stdout.Trim().ShouldBe("no");
        list.Stdout.ShouldMatch(@"configmaps\s+\[\]\s+\[\]\s+\[get list watch\]");
        asBot.Stdout.Trim().ShouldBe("yes");
    }

    [Fact]
    public async Task CanI_ServiceAccountWithNothing_MayOnlyAskAndDiscover()
    {
        var (_, bot, _) = await ServiceAccount("nothing");

        var get = await bot.RunAsync("auth", "can-i", "get", "pods");
        var list = await bot.RunAsync("auth", "can-i", "--list");
        var whoami = await bot.RunAsync("auth", "whoami");

        get.Stdout.Trim().ShouldBe("no");
        list.Stdout.ShouldContain("selfsubjectaccessreviews.authorization.k8s.io");
        list.Stdout.ShouldNotContain("configmaps");
        whoami.ExitCode.ShouldBe(0, whoami.Output);
        whoami.Stdout.ShouldMatch(@"Username\s+system:serviceaccount:nothing-[0-9a-f]+:bot");
    }

    [Fact]
    public async Task Create_OutsideTheRole_Gets403WordedAsKubernetesAndWritesNothing()
    {
        var (ns, bot, _) = await Reader("forbidden");

        var create = await bot.RunAsync("create", "configmap", "nope", "--from-literal=a=b");
        var listPods = await bot.RunAsync("get", "pods");
        var nodes = await bot.RunAsync("get", "nodes");
        var read = await bot.RunAsync("get", "configmaps");

        create.ExitCode.ShouldNotBe(0);
        create.Stderr.ShouldContain($"configmaps is forbidden: User \"system:serviceaccount:{ns}:bot\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"");
        listPods.Stderr.ShouldContain($"pods is forbidden: User \"system:serviceaccount:{ns}:bot\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\"");
        nodes.Stderr.ShouldContain($"nodes is forbidden: User \"system:serviceaccount:{ns}:bot\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
        read.ExitCode.ShouldBe(0, read.Output);
        (await Admin.RunAsync("get", "cm", "nope", "-n", ns)).Stderr.ShouldContain("NotFound");
    }

    [Fact]
    public async Task ResourceNamesAndSubresources_AreHonoured()
    {
        var ns = plane.Fresh("names");
        (await Admin.RunAsync("create", "serviceaccount", "bot", "-n", ns)).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "configmap", "one", "-n", ns, "--from-literal=a=1")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "configmap", "two", "-n", ns, "--from-literal=a=2")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "deployment", "web", "-n", ns, "--image=nginx", "--replicas=1")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "role", "one", "-n", ns, "--verb=get", "--resource=configmaps", "--resource-name=one")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "role", "scaler", "-n", ns, "--verb=get,patch", "--resource=deployments/scale")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "rolebinding", "one", "-n", ns, "--role=one", $"--serviceaccount={ns}:bot")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "rolebinding", "scaler", "-n", ns, "--role=scaler", $"--serviceaccount={ns}:bot")).ExitCode.ShouldBe(0);
        // kubectl scale reads the deployment before it patches its scale.
        (await Admin.RunAsync("create", "role", "deploy-reader", "-n", ns, "--verb=get", "--resource=deployments")).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "rolebinding", "deploy-reader", "-n", ns, "--role=deploy-reader", $"--serviceaccount={ns}:bot")).ExitCode.ShouldBe(0);
        var path = Path.Combine(plane.DataDir, $"kubeconfig-{ns}");
        plane.Plane.WriteServiceAccountKubeconfig(ns, "bot", TimeSpan.FromHours(1), path);
        var bot = new Kubectl(path);

        var one = await bot.RunAsync("get", "cm", "one", "-o", "jsonpath={.data.a}");
        var two = await bot.RunAsync("get", "cm", "two");
        var scale = await bot.RunAsync("scale", "deployment", "web", "--replicas=3");
        var patchDeployment = await bot.RunAsync("patch", "deployment", "web", "--type=merge", "-p", """{"spec":{"paused":true}}""");

        one.Stdout.ShouldBe("1");
        two.Stderr.ShouldContain("configmaps \"two\" is forbidden");
        scale.ExitCode.ShouldBe(0, scale.Output);
        (await Admin.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Stdout.ShouldBe("3");
        patchDeployment.Stderr.ShouldContain($"deployments.apps \"web\" is forbidden: User \"system:serviceaccount:{ns}:bot\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"{ns}\"");
    }

    [Fact]
    public async Task As_AdminImpersonates_ServiceAccountMayNot()
    {
        var (ns, bot, _) = await Reader("as");

        var asAlice = await Admin.RunAsync("get", "configmaps", "-n", ns, "--as=alice", "--as-group=devs");
        var asBot = await Admin.RunAsync("get", "configmaps", "-n", ns, $"--as=system:serviceaccount:{ns}:bot");
        var botAsAdmin = await bot.RunAsync("get", "configmaps", "--as=sluice:admin");

        asAlice.Stderr.ShouldContain("User \"alice\" cannot list resource \"configmaps\"");
        asBot.ExitCode.ShouldBe(0, asBot.Output);
        botAsAdmin.Stderr.ShouldContain($"users \"sluice:admin\" is forbidden: User \"system:serviceaccount:{ns}:bot\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
    }

    [Fact]
    public async Task Token_OfADeletedServiceAccount_Gets401AndWritesNothing()
    {
        var (ns, bot, token) = await Reader("deleted");
        (await bot.RunAsync("get", "configmaps")).ExitCode.ShouldBe(0);

        (await Admin.RunAsync("delete", "serviceaccount", "bot", "-n", ns)).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("create", "serviceaccount", "bot", "-n", ns)).ExitCode.ShouldBe(0);
        var after = await bot.RunAsync("get", "configmaps");
        using var http = plane.Http(token);
        var write = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps",
            new StringContent("""{"metadata":{"name":"sneaky"}}""", System.Text.Encoding.UTF8, "application/json"));

        // The account of the same name is a new one (new uid): the old tokens are dead.
        after.Stderr.ShouldContain("Unauthorized");
        write.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        JsonNode.Parse(await write.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>().ShouldBe("Unauthorized");
        (await Admin.RunAsync("get", "cm", "sneaky", "-n", ns)).Stderr.ShouldContain("NotFound");
    }

    [Fact]
    public async Task Token_Forged_Gets401()
    {
        var (_, _, token) = await Reader("forged");
        var parts = token.Split('.');
        var claims = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))
            .Replace("\"name\":\"bot\"", "\"name\":\"admin\"", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(claims))}.{parts[2]}";

        using var http = plane.Http(forged);
        (await http.GetAsync("/api/v1/namespaces/default/configmaps")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var garbage = plane.Http("a.b.c");
        (await garbage.GetAsync("/api")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_BoundToAPod_DiesWithThePod()
    {
        var ns = plane.Fresh("bound");
        (await Admin.RunAsync("create", "serviceaccount", "bot", "-n", ns)).ExitCode.ShouldBe(0);
        (await Admin.RunAsync("run", "holder", "-n", ns, "--image=nginx")).ExitCode.ShouldBe(0);
        var token = await Admin.RunAsync("create", "token", "bot", "-n", ns, "--bound-object-kind=Pod", "--bound-object-name=holder");
        token.ExitCode.ShouldBe(0, token.Output);
        using var http = plane.Http(token.Stdout.Trim());
        (await http.GetAsync("/api")).StatusCode.ShouldBe(HttpStatusCode.OK);

        plane.Plane.Store.Delete(new Sluice.ControlPlane.Resources.GroupResource("", "pods"), ns, "holder", new Sluice.ControlPlane.Store.DeleteOptions());

        (await http.GetAsync("/api")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CreateToken_TooShortOrUnknownAccount_IsRefused()
    {
        var ns = plane.Fresh("short");
        (await Admin.RunAsync("create", "serviceaccount", "bot", "-n", ns)).ExitCode.ShouldBe(0);

        var shortLived = await Admin.RunAsync("create", "token", "bot", "-n", ns, "--duration=1m");
        var unknown = await Admin.RunAsync("create", "token", "ghost", "-n", ns);

        shortLived.Stderr.ShouldContain("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes");
        unknown.Stderr.ShouldContain("serviceaccounts \"ghost\" not found");
    }

    [Fact]
    public async Task ServiceAccountKubeconfig_WorksForAKubernetesClient()
    {
        var (ns, _, _) = await Reader("client");
        plane.Plane.Store.Create(new Sluice.ControlPlane.Resources.GroupResource("", "configmaps"), ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "seen" } });
        var path = Path.Combine(plane.DataDir, $"client-{ns}");
        plane.Plane.WriteServiceAccountKubeconfig(ns, "bot", TimeSpan.FromHours(1), path);

        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        var list = await k8s.CoreV1OperationsExtensions.ListNamespacedConfigMapAsync(client, ns);
        var denied = await Should.ThrowAsync<k8s.Autorest.HttpOperationException>(() => k8s.CoreV1OperationsExtensions.ListNamespacedSecretAsync(client, ns));

        list.Items.Select(i => i.Metadata.Name).ShouldBe(["seen"]);
        denied.Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
