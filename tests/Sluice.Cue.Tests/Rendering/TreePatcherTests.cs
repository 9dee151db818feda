using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;
using Sluice.Cue.Tests.Support;

namespace Sluice.Cue.Tests.Rendering;

/// <summary>
/// A trait's patch merged into a workload, as KubeVela merges it: unification, lists by position unless a
/// <c>+patchKey</c> says by which key, <c>+patchStrategy=retainKeys</c> to replace. The workload is a component
/// whose output is <c>parameter</c> (so each case gives it as JSON); the trait's patch is the template under test.
/// </summary>
public class TreePatcherTests
{
    private static CueResult<RenderedComponent> Patch(string workload, string patchTemplate) =>
        ComponentRenderer.Render(
            new DefinitionTemplate("raw", "output: parameter\nparameter: {}", JsonNode.Parse(workload)!.AsObject()),
            [new DefinitionTemplate("t", patchTemplate)],
            BuiltIn.Context);

    private static void ShouldPatch(string workload, string patchTemplate, string expected)
    {
        var result = Patch(workload, patchTemplate);
        result.Error.ShouldBeNull();
        JsonAssert.Equal(JsonNode.Parse(expected), result.Value.Output);
    }

    [Fact]
    public void ListWithoutKey_MergesByPositionAndGrows()
    {
        ShouldPatch("""{"c":[{"name":"a"},{"name":"b"}]}""", """patch: c: [{image: "x"}, {}, {name: "new"}]""",
            """{"c":[{"name":"a","image":"x"},{"name":"b"},{"name":"new"}]}""");
    }

    [Fact]
    public void ListByKey_MergesMatchingItemsInPlaceAndAppendsNewOnes()
    {
        ShouldPatch("""{"c":[{"name":"a"},{"name":"b"}]}""", """
            patch: {
                // +patchKey=name
                c: [{name: "new"}, {name: "b", image: "x"}]
            }
            """, """{"c":[{"name":"a"},{"name":"b","image":"x"},{"name":"new"}]}""");
    }

    [Fact]
    public void ListByKey_WithoutTheAnnotation_WouldConflict()
    {
        var result = Patch("""{"c":[{"name":"a"},{"name":"b"}]}""", """patch: c: [{name: "b", image: "x"}]""");

        result.Error!.Message.ShouldBe("trait \"t\": patch c[0].name: conflicting values \"a\" (the workload's) and \"b\" (the patch's)");
    }

    [Fact]
    public void KeyAnnotation_AppliesToListsBelowTheAnnotatedField()
    {
        ShouldPatch("""{"spec":{"c":[{"name":"a","env":[{"name":"X","value":"1"}]}]}}""", """
            patch: {
                // +patchKey=name
                spec: c: [{name: "a", env: [{name: "Y", value: "2"}]}]
            }
            """, """{"spec":{"c":[{"name":"a","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]}]}}""");
    }

    [Fact]
    public void DottedKey_MatchesANestedField()
    {
        ShouldPatch("""{"envFrom":[{"secretRef":{"name":"db"}}]}""", """
            patch: {
                // +patchKey=secretRef.name
                envFrom: [{secretRef: name: "cache"}]
            }
            """, """{"envFrom":[{"secretRef":{"name":"db"}},{"secretRef":{"name":"cache"}}]}""");
    }

    [Fact]
    public void RetainKeys_OnAStruct_ReplacesIt()
    {
        ShouldPatch("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"30%"}}}}""", """
            patch: spec: {
                // +patchStrategy=retainKeys
                strategy: type: "Recreate"
            }
            """, """{"spec":{"strategy":{"type":"Recreate"}}}""");
    }

    [Fact]
    public void RetainKeys_OnAKeyedList_ReplacesTheMatchingItems()
    {
        ShouldPatch("""{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","hostPath":{"path":"/x"}}]}""", """
            patch: {
                // +patchKey=name
                // +patchStrategy=retainKeys
                volumes: [{name: "b", configMap: name: "conf"}]
            }
            """, """{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","configMap":{"name":"conf"}}]}""");
    }

    [Fact]
    public void StructAgainstScalar_IsAConflictNamingTheField()
    {
        var result = Patch("""{"spec":{"replicas":3}}""", """patch: spec: replicas: {value: 1}""");

        result.Error!.Message.ShouldBe("trait \"t\": patch spec.replicas: conflicting values: the workload has 3, the patch a struct");
    }
}
