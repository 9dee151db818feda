using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Resources;

public class BuiltInSchemasTests
{
    /// <summary>The schemas the plane publishes match its served kinds; SLUICE_REGENERATE=1 rewrites the file.</summary>
    [Fact]
    public void BuiltInOpenApi_File_IsGeneratedFromTheServedKinds()
    {
        var generated = BuiltInSchemaGenerator.Generate();
        if (Environment.GetEnvironmentVariable("SLUICE_REGENERATE") == "1")
        {
            File.WriteAllText(BuiltInSchemaGenerator.OutputPath, generated);
        }

        File.ReadAllText(BuiltInSchemaGenerator.OutputPath).ShouldBe(generated, "run this test with SLUICE_REGENERATE=1 to regenerate src/Sluice.ControlPlane/Resources/builtin-openapi.json");
    }
}
