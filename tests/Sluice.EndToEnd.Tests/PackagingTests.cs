using System.Diagnostics;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// sluice as people install it: packed as a .NET tool, installed from a local folder into a tool path, and run as a
/// kubectl plugin (<c>kubectl-sluice</c> on PATH) through the real kubectl.
/// </summary>
[Collection(SluiceBuilds.Name)]
public class PackagingTests
{
    [Fact]
    public async Task DotnetTool_PackedInstalledAndLinkedAsKubectlSluice_AnswersThroughKubectl()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sluice-tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // Given a rollout that succeeded on the embedded system
            await using var cluster = await TestCluster.StartAsync();
            await cluster.ApplyYamlAsync(Support.Manifests.App("shop", "stefanprodan/podinfo:4.0.6", replicas: 2));
            await cluster.ApplyYamlAsync(Support.Manifests.Rollout("shop-up", null, "shop-v1", "1,1"));
            await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");

            // When sluice is packed, installed with `dotnet tool install` from that folder only, and linked as kubectl-sluice
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var packages = Path.Combine(dir, "packages");
            (await RunAsync(dir, "dotnet", "pack", Path.Combine(RepoPaths.Root, "src", "Sluice.Cli"), "-c", configuration, "--no-build", "-o", packages)).Code.ShouldBe(0);
            await File.WriteAllTextAsync(Path.Combine(dir, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{packages}" />
                  </packageSources>
                </configuration>
                """);
            var tools = Path.Combine(dir, "tools");
            var install = await RunAsync(dir, "dotnet", "tool", "install", "sluice", "--tool-path", tools, "--configfile", Path.Combine(dir, "nuget.config"));
            install.Code.ShouldBe(0, install.Output);
            var bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
            File.CreateSymbolicLink(Path.Combine(bin, "kubectl-sluice"), Path.Combine(tools, "sluice"));

            // Then the installed tool runs
            var client = await RunAsync(dir, Path.Combine(tools, "sluice"), "version", "--client");
            client.Code.ShouldBe(0, client.Output);
            client.Output.ShouldStartWith("Client: sluice 0.2.0");

            // And kubectl finds it as a plugin, and `kubectl sluice` talks to the cluster kubectl talks to (KUBECONFIG)
            var env = new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}", ["KUBECONFIG"] = cluster.Plane.KubeconfigPath, ["HOME"] = dir };
            (await RunAsync(dir, "kubectl", env, "plugin", "list")).Output.ShouldContain(Path.Combine(bin, "kubectl-sluice"));
            var status = await RunAsync(dir, "kubectl", env, "sluice", "rollout", "status", "shop-up");
            status.Code.ShouldBe(0, status.Output);
            status.Output.ShouldContain("rolloutSucceed");
            var version = await RunAsync(dir, "kubectl", env, "sluice", "version");
            version.Code.ShouldBe(0, version.Output);
            version.Output.ShouldContain("Client: sluice 0.2.0");
            version.Output.ShouldContain("Controller: sluice 0.2.0");
            version.Output.ShouldContain("(leader e2e, lease kube-system/sluice-controller)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Task<(int Code, string Output)> RunAsync(string dir, string file, params string[] args) => RunAsync(dir, file, new Dictionary<string, string>(), args);

    private static async Task<(int Code, string Output)> RunAsync(string dir, string file, Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
