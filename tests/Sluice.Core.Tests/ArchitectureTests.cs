using System.Reflection;
using Sluice.Core.Api;

namespace Sluice.Core.Tests;

public class ArchitectureTests
{
    [Fact]
    public void Core_ReferencesOnlyTheBaseClassLibrary()
    {
        var references = typeof(AppRollout).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        references.ShouldNotContain(n => n.StartsWith("KubernetesClient", StringComparison.OrdinalIgnoreCase) || n.StartsWith("k8s", StringComparison.OrdinalIgnoreCase));
        references.ShouldAllBe(n => n.StartsWith("System", StringComparison.Ordinal) || n == "netstandard" || n == "mscorlib");
    }

    [Theory]
    [InlineData("System.IO.FileSystem")]
    [InlineData("System.Net.Http")]
    [InlineData("System.Net.Sockets")]
    [InlineData("System.Net.Primitives")]
    [InlineData("System.Diagnostics.Process")]
    [InlineData("Microsoft.Data.Sqlite")]
    public void Core_DoesNotReferenceIo(string assembly) =>
        typeof(AppRollout).Assembly.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain(assembly);

    [Fact]
    public void Core_UsesNoFileOrNetworkTypes()
    {
        var banned = new[] { "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.Net.Http.HttpClient", "System.Net.Sockets.Socket", "System.Diagnostics.Process" };
        var used = typeof(AppRollout).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters().Select(p => p.ParameterType.FullName).Append(m.ReturnType.FullName))
            .Where(n => n is not null)
            .ToHashSet();

        used.Intersect(banned).ShouldBeEmpty();
    }
}
