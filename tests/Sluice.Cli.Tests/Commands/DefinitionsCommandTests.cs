using Sluice.ControlPlane;
using Sluice.Testing;

namespace Sluice.Cli.Tests.Commands;

public sealed class DefinitionsCommandTests : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "sluice-cli-defs-" + Guid.NewGuid().ToString("N"));
    private RunningControlPlane? plane;

    private string Kubeconfig => plane!.KubeconfigPath;

    public async Task InitializeAsync() =>
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, TimeProvider.System);

    public async Task DisposeAsync()
    {
        await plane!.DisposeAsync();
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task Definitions_FreshPlane_ListsTheBuiltInTypes()
    {
        var (code, console) = await FakeConsole.RunAsync("definitions", "--kubeconfig", Kubeconfig);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var types = console.Stdout.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).ToList();
        types.ShouldBe(["clonesetservice", "daemon", "statefulservice", "webservice", "worker"]);
        console.Stdout.ShouldContain("CloneSet (apps.kruise.io/v1alpha1)");
    }

    [Fact]
    public async Task DefinitionsShow_KubeVelasCloneSetService_ListsItsParameters()
    {
        await new Kubectl(Kubeconfig).RunAsync("apply", "-f", RepoPaths.KubeVela("clonesetDefinition.yaml"));

        var (code, console) = await FakeConsole.RunAsync("definitions", "show", "clonesetservice", "--kubeconfig", Kubeconfig);

        code.ShouldBe(ExitCodes.Success, console.Stderr);
        var rows = console.Stdout.Split('\n').Skip(2).Where(l => l.Length > 0)
            .ToDictionary(l => l.Split(' ')[0], l => l);
        rows.Keys.Where(k => !k.Contains('.', StringComparison.Ordinal))
            .ShouldBe(["image", "cmd", "port", "env", "cpu", "updateStrategyType", "replicas"]);
        rows["image"].ShouldContain("yes");
        rows["port"].ShouldMatch(@"^port\s+int\s+80\s+-p\s+Which port");
        rows["cmd"].ShouldContain("[...string]");
    }

    [Fact]
    public async Task DefinitionsShow_UnknownType_ExitsNotFound()
    {
        var (code, console) = await FakeConsole.RunAsync("definitions", "show", "nosuchtype", "--kubeconfig", Kubeconfig);

        code.ShouldBe(ExitCodes.NotFound);
        console.Stderr.ShouldBe("error: component type \"nosuchtype\" not found (see `sluice definitions`)\n");
    }
}
