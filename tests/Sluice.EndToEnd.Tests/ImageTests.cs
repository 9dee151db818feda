using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// The controller image as deploy/image/build.sh builds it here (buildah from scratch, no registry, no daemon): its
/// configuration, what is in it, and `sluice version` run inside it by podman.
/// </summary>
[Collection(SluiceBuilds.Name)]
public class ImageTests
{
    private static readonly string[] Storage = ["--storage-driver", "vfs"];

    [Fact]
    public async Task Build_FromScratch_NonRootEntrypointSluiceOnlyTheAppAndItRunsInPodman()
    {
        await EnsureInstalledAsync("buildah", "podman", "runc");
        var tag = $"localhost/sluice-test:{Guid.NewGuid():N}";
        var work = Path.Combine(Path.GetTempPath(), "sluice-image-" + Guid.NewGuid().ToString("N"));
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        try
        {
            // When the image is built
            var build = await RunAsync(new() { ["OUT"] = work, ["CONFIGURATION"] = configuration }, "bash", Path.Combine(RepoPaths.Root, "deploy", "image", "build.sh"), tag);
            build.Code.ShouldBe(0, build.Output);

            // Then it runs as user 65532 with sluice as its entrypoint and the controller as its command
            var inspect = await RunAsync([], "buildah", [.. Storage, "inspect", "--type", "image", tag]);
            var config = JsonNode.Parse(inspect.Output)!["OCIv1"]!["config"]!;
            config["User"]!.GetValue<string>().ShouldBe("65532:65532");
            config["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["/app/sluice"]);
            config["Cmd"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["controller"]);

            // And it holds the published app, the libraries it loads and CA certificates: no shell, no package manager
            var container = (await RunAsync([], "buildah", [.. Storage, "from", "--pull-never", tag])).Output.Trim();
            try
            {
                var root = (await RunAsync([], "buildah", [.. Storage, "mount", container])).Output.Trim();
                Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order().ShouldBeSubsetOf(["app", "etc", "lib", "lib64", "tmp", "usr"]);
                File.Exists(Path.Combine(root, "app", "sluice")).ShouldBeTrue();
                File.Exists(Path.Combine(root, "bin", "sh")).ShouldBeFalse();
                Directory.Exists(Path.Combine(root, "usr", "bin")).ShouldBeFalse();
                File.ReadAllText(Path.Combine(root, "etc", "passwd")).ShouldContain("nonroot:x:65532:65532");
            }
            finally
            {
                await RunAsync([], "buildah", [.. Storage, "rm", container]);
            }

            // And `sluice version` runs inside it
            var run = await RunAsync(new() { ["CONTAINERS_CONF"] = Path.Combine(RepoPaths.Root, "deploy", "image", "containers.conf") },
                "podman", [.. Storage, "--runtime", "runc", "run", "--rm", "--network", "none", tag, "version", "--client"]);
            run.Code.ShouldBe(0, run.Output);
            run.Output.ShouldStartWith("Client: sluice 0.2.0");
        }
        finally
        {
            await RunAsync([], "buildah", [.. Storage, "rmi", "--force", tag]);
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task EnsureInstalledAsync(params string[] tools)
    {
        var missing = tools.Where(t => !File.Exists($"/usr/bin/{t}") && !File.Exists($"/usr/sbin/{t}")).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        await RunAsync(new() { ["DEBIAN_FRONTEND"] = "noninteractive" }, "apt-get", "update", "-qq");
        var install = await RunAsync(new() { ["DEBIAN_FRONTEND"] = "noninteractive" }, "apt-get", ["install", "-y", "-qq", .. missing]);
        install.Code.ShouldBe(0, $"apt-get install {string.Join(' ', missing)}: {install.Output}");
    }

    private static async Task<(int Code, string Output)> RunAsync(Dictionary<string, string> env, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        var output = await stdout;
        return (process.ExitCode, process.ExitCode == 0 ? output : output + await stderr);
    }
}
