using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// deploy/install.yaml and the kustomization it is rendered from: current, complete, hardened, least-privilege, and
/// accepted by the embedded plane (dry-run, then for real under RBAC with the controller's own token).
/// </summary>
public class InstallManifestTests
{
    private static readonly IReadOnlyList<JsonObject> Install = InstallManifest.Objects();

    [Fact]
    public async Task Generate_OnACopyOfDeploy_ChangesNoCommittedFile()
    {
        var copy = Path.Combine(Path.GetTempPath(), "sluice-deploy-" + Guid.NewGuid().ToString("N"));
        var deploy = Path.Combine(RepoPaths.Root, "deploy");
        try
        {
            CopyDirectory(deploy, copy);
            var (code, output) = await RunAsync("bash", Path.Combine(copy, "generate.sh"));
            code.ShouldBe(0, output);

            foreach (var file in Directory.GetFiles(copy, "*", SearchOption.AllDirectories))
            {
                var committed = Path.Combine(deploy, Path.GetRelativePath(copy, file));
                File.Exists(committed).ShouldBeTrue($"deploy/generate.sh makes {Path.GetRelativePath(copy, file)}, which is not committed: run deploy/generate.sh");
                (await File.ReadAllTextAsync(file)).ShouldBe(await File.ReadAllTextAsync(committed), $"{Path.GetRelativePath(copy, file)} is stale: run deploy/generate.sh and commit what it changed");
            }
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Install_Crds_AreEveryCrdInDeployCrdsButOpenKruises()
    {
        var expected = Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "crds"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Select(f => YamlJson.Parse(File.ReadAllText(f))!["metadata"]!["name"]!.GetValue<string>())
            .Where(name => !name.EndsWith(".apps.kruise.io", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Install.Where(o => Kind(o) == "CustomResourceDefinition").Select(Name).Order(StringComparer.Ordinal).ShouldBe(expected);
    }

    [Fact]
    public void Install_Roles_NameEveryVerbResourceAndGroupWithoutWildcards()
    {
        var rules = Install.Where(o => Kind(o) is "ClusterRole" or "Role").SelectMany(r => r["rules"]!.AsArray()).ToList();

        rules.ShouldNotBeEmpty();
        foreach (var rule in rules)
        {
            foreach (var field in (string[])["verbs", "apiGroups", "resources"])
            {
                rule![field]!.AsArray().Select(v => v!.GetValue<string>()).ShouldNotContain("*", $"rule {rule.ToJsonString()}");
            }

            rule!["resourceNames"].ShouldBeNull();
            rule["nonResourceURLs"].ShouldBeNull();
        }

        // Leader election only in the controller's namespace.
        InstallManifest.Grants(Install).Where(g => g.Resource is "leases")
            .ShouldAllBe(g => g.Namespace == InstallManifest.Namespace);
    }

    [Fact]
    public void Install_Deployment_IsHardenedLeaderElectedAndProbedOnTheHealthPort()
    {
        var deployment = InstallManifest.Single(Install, "Deployment", "sluice-controller");
        var pod = deployment["spec"]!["template"]!["spec"]!.AsObject();
        var container = pod["containers"]!.AsArray().Single()!.AsObject();
        var args = container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

        deployment["metadata"]!["namespace"]!.GetValue<string>().ShouldBe(InstallManifest.Namespace);
        ((int)Number(deployment["spec"]!["replicas"])).ShouldBe(2);
        pod["serviceAccountName"]!.GetValue<string>().ShouldBe(InstallManifest.ServiceAccount);
        args.ShouldBe(["controller", "--health-address=0.0.0.0", "--health-port=8080", "--lease-namespace=$(POD_NAMESPACE)", "--identity=$(POD_NAME)", "--notifications-namespace=$(POD_NAMESPACE)"]);
        ((int)Number(container["ports"]!.AsArray().Single()!["containerPort"])).ShouldBe(8080);
        container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>().ShouldBe("/healthz");
        container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>().ShouldBe("/readyz");
        container["resources"]!["requests"]!["cpu"].ShouldNotBeNull();
        container["resources"]!["requests"]!["memory"].ShouldNotBeNull();
        container["resources"]!["limits"]!["memory"].ShouldNotBeNull();
        pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>().ShouldBeTrue();
        pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>().ShouldBe("RuntimeDefault");
        var security = container["securityContext"]!;
        security["readOnlyRootFilesystem"]!.GetValue<bool>().ShouldBeTrue();
        security["allowPrivilegeEscalation"]!.GetValue<bool>().ShouldBeFalse();
        security["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["ALL"]);
        security["seccompProfile"]!["type"]!.GetValue<string>().ShouldBe("RuntimeDefault");

        // The budget and the metrics Service select these pods
        var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var budget = InstallManifest.Single(Install, "PodDisruptionBudget", "sluice-controller");
        ((int)Number(budget["spec"]!["minAvailable"])).ShouldBe(1);
        Selects(budget["spec"]!["selector"]!["matchLabels"]!.AsObject(), labels).ShouldBeTrue();
        var service = InstallManifest.Single(Install, "Service", "sluice-controller-metrics");
        Selects(service["spec"]!["selector"]!.AsObject(), labels).ShouldBeTrue();
        service["spec"]!["ports"]![0]!["targetPort"]!.GetValue<string>().ShouldBe("http-metrics");
    }

    [Fact]
    public async Task Kustomize_WithDefinitions_AddsEveryBuiltInDefinitionAndTemplateToTheInstall()
    {
        var (code, output) = await RunAsync("kubectl", "kustomize", Path.Combine(RepoPaths.Root, "deploy", "with-definitions"));
        code.ShouldBe(0, output);
        var rendered = YamlJson.ParseAll(output).OfType<JsonObject>().Select(o => $"{Kind(o)}/{Name(o)}").ToList();

        // Every definition (and MetricTemplate, where deploy/metrics exists), the vela-system Namespace, and the install
        var optional = ((string[])["definitions", "metrics"]).Select(d => Path.Combine(RepoPaths.Root, "deploy", d)).Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.yaml")).Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => YamlJson.ParseAll(File.ReadAllText(f)).OfType<JsonObject>()).Select(o => $"{Kind(o)}/{Name(o)}");
        rendered.Order(StringComparer.Ordinal).ShouldBe(optional.Append("Namespace/vela-system").Concat(Install.Select(o => $"{Kind(o)}/{Name(o)}")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Kustomize_WithoutConfigTracking_DropsOnlyTheConfigRuleReadsNotificationsInItsNamespaceAndTurnsTrackingOff()
    {
        var rendered = await InstallManifest.RenderAsync("without-config-tracking");
        var grants = InstallManifest.Grants(rendered);

        // No ConfigMap or Secret listed, watched or created outside sluice-system; there, the notification settings
        grants.Where(g => g.Resource is "configmaps" or "secrets" && g.Verb != "get").ShouldAllBe(g => g.Namespace == InstallManifest.Namespace);
        grants.Where(g => g.Namespace == InstallManifest.Namespace && g.Resource is "configmaps" or "secrets").Select(g => $"{g.Verb} {g.Resource}").Order()
            .ShouldBe(["list configmaps", "list secrets", "watch configmaps", "watch secrets"]);

        // Every other grant as the install has it
        var cluster = InstallManifest.Grants(Install).Where(g => g.Namespace.Length == 0 && !(g.Resource is "configmaps" or "secrets" && g.Verb != "get"));
        grants.Where(g => g.Namespace.Length == 0).Select(g => g.ToString()).Order().ShouldBe(cluster.Select(g => g.ToString()).Order());

        // And the controller runs with tracking off
        var container = InstallManifest.Single(rendered, "Deployment", "sluice-controller")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain("--no-config-tracking");
    }

    [Fact]
    public async Task ApplyDryRunServer_OnTheEmbeddedPlane_AcceptsEveryObjectAndStoresNone()
    {
        await using var cluster = await TestCluster.StartAsync(podReadyDelay: null, controllers: false);
        // A dry run creates nothing, so the namespace the objects go to must exist already (as on a cluster).
        await cluster.ApplyYamlAsync(InstallManifest.Namespace, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: placeholder\n");

        var output = await cluster.Kubectl.RunAsync("apply", "--dry-run=server", "-f", InstallManifest.Path);

        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(Install.Count, output);
        output.ShouldContain("(server dry run)");
        (await cluster.Kubectl.TryAsync("get", "serviceaccount", InstallManifest.ServiceAccount, "-n", InstallManifest.Namespace)).Code.ShouldNotBe(0);
    }

    /// <summary>
    /// The check: the controller runs under exactly the install's RBAC, with a token of its service account from
    /// the TokenRequest API, through every end-to-end scenario; a single 403 fails it.
    /// </summary>
    [Fact]
    public async Task Controller_WithOnlyItsServiceAccountsToken_RunsEveryScenarioWithoutA403()
    {
        await using var cluster = await TestCluster.StartAsync(controllers: false);
        using var receiver = new WebhookReceiver();
        await cluster.Kubectl.RunAsync("apply", "-f", InstallManifest.Path);
        var token = (await cluster.Kubectl.RunAsync("create", "token", InstallManifest.ServiceAccount, "-n", InstallManifest.Namespace, "--duration", "1h")).Trim();
        var kubeconfig = YamlJson.Parse(await File.ReadAllTextAsync(cluster.Plane.KubeconfigPath))!.AsObject();
        kubeconfig["users"]![0]!["user"] = new JsonObject { ["token"] = token };
        var saKubeconfig = Path.Combine(cluster.DataDir, "sluice-controller.kubeconfig");
        await File.WriteAllTextAsync(saKubeconfig, YamlJson.ToYaml(kubeconfig));
        (await new Kubectl(saKubeconfig).RunAsync("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"))
            .ShouldBe($"system:serviceaccount:{InstallManifest.Namespace}:{InstallManifest.ServiceAccount}");

        using var controller = SluiceProcess.Start("sluice controller", "controller", "--kubeconfig", saKubeconfig, "--identity", "least-privilege",
            "--lease-namespace", InstallManifest.Namespace, "--notifications-namespace", InstallManifest.Namespace, "--health-port", "0");
        var metricsUrl = (await controller.WaitForLineAsync("health and metrics: ", TimeSpan.FromSeconds(60)))["health and metrics: ".Length..].Trim();
        await controller.WaitForLineAsync("caches synced", TimeSpan.FromSeconds(60));
        var routers = Sluice.Controllers.Kube.KubeApi.FromConfig(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(saKubeconfig));
        string metrics;
        try
        {
            await ControllerScenarios.RunAsync(cluster, receiver, routers);
            using var http = new HttpClient();
            metrics = await http.GetStringAsync(new Uri(metricsUrl));
        }
        finally
        {
            controller.Stop(TimeSpan.FromSeconds(10));
        }

        // Every request the controller made was answered, none refused: its own count by code, and its log
        metrics.ShouldContain("sluice_api_requests_total{");
        metrics.Split('\n').Where(l => l.StartsWith("sluice_api_requests_total{", StringComparison.Ordinal) && l.Contains("code=\"403\"", StringComparison.Ordinal))
            .ShouldBeEmpty($"requests the install's RBAC refused:\n{controller.Stderr}");
        controller.Stderr.ShouldNotContain("forbidden", Case.Insensitive, $"the controller was refused under the install's RBAC:\n{controller.Stderr}");
    }

    private static bool Selects(JsonObject selector, JsonObject labels) =>
        selector.All(p => labels[p.Key]?.GetValue<string>() == p.Value!.GetValue<string>());

    private static double Number(JsonNode? node) => double.Parse(node!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    private static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout + await stderr);
    }
}
