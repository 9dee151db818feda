namespace Sluice.ControlPlane.Tests.Support;

/// <summary>Finds the repository root (the folder holding Sluice.slnx) and the shared folder beside it.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sluice.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("Sluice.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Seed => Path.GetFullPath(Path.Combine(Root, "..", "shared", "examples", "seed"));

    public static string ThirdParty => Path.GetFullPath(Path.Combine(Root, "..", "shared", "examples", "third_party"));
}
