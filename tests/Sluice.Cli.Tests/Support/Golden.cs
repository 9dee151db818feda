using Sluice.Testing;

namespace Sluice.Cli.Tests.Support;

/// <summary>Compares output with tests/Sluice.Cli.Tests/Golden/NAME; with SLUICE_UPDATE_GOLDEN=1 it rewrites the file instead (review the diff).</summary>
internal static class Golden
{
    public static void ShouldMatch(string actual, string name)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "Sluice.Cli.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("SLUICE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        File.Exists(path).ShouldBeTrue($"golden file {path} is missing; run with SLUICE_UPDATE_GOLDEN=1 to write it");
        actual.ShouldBe(File.ReadAllText(path), $"differs from {path}");
    }
}
