using System.Reflection;

namespace Sluice.Controllers;

/// <summary>This build's version: the informational version (with the commit when built from git), else the assembly's.</summary>
public static class SluiceVersion
{
    public static string Current { get; } =
        typeof(SluiceVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SluiceVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
