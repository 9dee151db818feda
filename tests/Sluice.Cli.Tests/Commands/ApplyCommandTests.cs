using Sluice.Cli.Tests.Support;
using Sluice.Controllers.Kube;

namespace Sluice.Cli.Tests.Commands;

/// <summary><c>sluice apply -f</c> and <c>sluice delete -f</c> through parse-and-invoke against an in-process plane.</summary>
public sealed class ApplyCommandTests(PlaneFixture plane) : IClassFixture<PlaneFixture>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sluice-apply-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Rollout(string name, string target) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: {name}
        spec:
          targetAppRevisionName: {target}
          rolloutPlan:
            rolloutBatches:
              - replicas: 1
        """;

    private static string ConfigMap(string name) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        data:
          a: "1"
        """;

    [Fact]
    public async Task Apply_FolderTwiceThenDelete_CreatesConfiguresAndDeletes()
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "a.yaml"), ConfigMap("apply-cm") + "\n---\n" + Rollout("apply-r", "app-v1"));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a manifest");

        await CreateNamespaceAsync("apply-ns-one");

        var (created, first) = await RunAsync("apply", "-f", folder, "-n", "apply-ns-one");

        created.ShouldBe(ExitCodes.Success, first.Stderr);
        first.Stderr.ShouldBe("configmap/apply-cm created\napprollout.core.oam.dev/apply-r created\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "a.yaml"), ConfigMap("apply-cm") + "\n---\n" + Rollout("apply-r", "app-v2"));
        var (configured, second) = await RunAsync("apply", "-f", folder, "-n", "apply-ns-one");
        configured.ShouldBe(ExitCodes.Success, second.Stderr);
        second.Stderr.ShouldBe("configmap/apply-cm configured\napprollout.core.oam.dev/apply-r configured\n");
        (await plane.GetRolloutAsync("apply-r", "apply-ns-one"))["spec"]!["targetAppRevisionName"]!.GetValue<string>().ShouldBe("app-v2");

        var (deleted, third) = await RunAsync("delete", "-f", folder, "-n", "apply-ns-one");
        deleted.ShouldBe(ExitCodes.Success, third.Stderr);
        third.Stderr.ShouldBe("approllout.core.oam.dev/apply-r deleted\nconfigmap/apply-cm deleted\n");
        (await plane.Api.GetAsync(ResourceKinds.For("v1", "ConfigMap"), "apply-ns-one", "apply-cm", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Apply_MissingNamespace_ReportsThatDocumentAndExitsInvalid()
    {
        var file = Path.Combine(folder, "cm.yaml");
        await File.WriteAllTextAsync(file, ConfigMap("lost"));

        var (code, console) = await RunAsync("apply", "-f", file, "-n", "no-such-ns");

        code.ShouldBe(ExitCodes.Invalid);
        console.Stderr.ShouldContain($"error: configmap/lost ({file}): 404");
    }

    [Fact]
    public async Task Apply_Stdin_CreatesTheDocument()
    {
        var (code, console) = await FakeConsole.RunWithInputAsync(Rollout("apply-stdin", "app-v1"), "apply", "-f", "-", "--kubeconfig", plane.Kubeconfig);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        console.Stderr.ShouldBe("approllout.core.oam.dev/apply-stdin created\n");
        (await plane.GetRolloutAsync("apply-stdin"))["metadata"]!["namespace"]!.GetValue<string>().ShouldBe("default");
    }

    [Fact]
    public async Task Apply_InvalidYaml_ExitsInvalidNamingTheFile()
    {
        var file = Path.Combine(folder, "bad.yaml");
        await File.WriteAllTextAsync(file, "kind: [unclosed");

        var (code, console) = await RunAsync("apply", "-f", file);

        code.ShouldBe(ExitCodes.Invalid);
        console.Stderr.ShouldStartWith($"error: {file}: invalid YAML at line");
    }

    [Fact]
    public async Task Delete_NotThere_ExitsNotFound()
    {
        var file = Path.Combine(folder, "gone.yaml");
        await File.WriteAllTextAsync(file, ConfigMap("never-made"));

        var (code, console) = await RunAsync("delete", "-f", file);

        code.ShouldBe(ExitCodes.NotFound);
        console.Stderr.ShouldBe("error: configmap/never-made not found\n");
    }

    [Fact]
    public async Task Apply_NoFilename_ExitsUsage()
    {
        var (code, _) = await RunAsync("apply");

        code.ShouldBe(ExitCodes.Usage);
    }

    private async Task CreateNamespaceAsync(string name) =>
        await plane.Api.CreateAsync(ResourceKinds.For("v1", "Namespace"), null, new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name },
        }, CancellationToken.None);

    private Task<(int Code, FakeConsole Console)> RunAsync(params string[] args) =>
        FakeConsole.RunAsync([.. args, "--kubeconfig", plane.Kubeconfig]);
}
