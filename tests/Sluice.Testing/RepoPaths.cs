namespace Sluice.Testing;

/// <summary>The checkout (the folder holding Sluice.slnx) and the shared folder beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    /// <summary>../shared/examples/seed/FILE, the seed's manifests.</summary>
    public static string Seed(string file) => Path.GetFullPath(Path.Combine(Root, "..", "shared", "examples", "seed", file));

    /// <summary>../shared/examples/third_party/kubevela/FILE.</summary>
    public static string KubeVela(string file) => Path.GetFullPath(Path.Combine(Root, "..", "shared", "examples", "third_party", "kubevela", file));

    /// <summary>The built <c>sluice</c> CLI (sluice.dll beside the test binaries' configuration).</summary>
    public static string SluiceDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(Root, "src", "Sluice.Cli", "bin", configuration, "net10.0", "sluice.dll");
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sluice.slnx not found above " + AppContext.BaseDirectory);
    }
}
