namespace Sluice.Core.Tests;

internal static class RepoRoot
{
    /// <summary>The folder holding Sluice.slnx, found by walking up from the test binaries.</summary>
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
}
