namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// Tests that run dotnet on src/Sluice.Cli (pack, a self-contained publish) share its obj/ folder, which a restore
/// rewrites: they run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SluiceBuilds
{
    public const string Name = "dotnet builds of sluice";
}
