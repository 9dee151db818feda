namespace Sluice.Manifests.Tests;

internal static class RepoRoot
{
    public static string Find()
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

    public static string SeedFolder => Path.GetFullPath(Path.Combine(Find(), "..", "shared", "examples", "seed"));
}
