using System.Text.Json.Nodes;
using Sluice.ControlPlane.Patching;

namespace Sluice.ControlPlane.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private const string Pod = """
        {"spec":{"containers":[
          {"name":"a","image":"a:1","ports":[{"containerPort":80},{"containerPort":81}],"env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]},
          {"name":"b","image":"b:1"}]},
         "metadata":{"finalizers":["f1"]}}
        """;

    [Fact]
    public void Apply_ContainerByName_MergesOnlyThatContainer()
    {
        var original = Obj(Pod);
        var result = StrategicMergePatch.Apply(original, Obj("""{"spec":{"containers":[{"name":"b","image":"b:2"}]}}"""));

        result["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("a:1");
        result["spec"]!["containers"]![1]!["image"]!.GetValue<string>().ShouldBe("b:2");
        original["spec"]!["containers"]![1]!["image"]!.GetValue<string>().ShouldBe("b:1");
    }

    [Fact]
    public void Apply_EnvAndPortsByKey_MergeAndAppend()
    {
        var result = StrategicMergePatch.Apply(Obj(Pod), Obj("""
            {"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"3"},{"name":"Z","value":"4"}],"ports":[{"containerPort":82}]}]}}
            """));

        var a = result["spec"]!["containers"]![0]!;
        a["env"]!.ToJsonString().ShouldBe("""[{"name":"X","value":"1"},{"name":"Y","value":"3"},{"name":"Z","value":"4"}]""");
        a["ports"]!.AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public void Apply_DeleteDirectiveAndNull_RemoveItemAndField()
    {
        var result = StrategicMergePatch.Apply(Obj(Pod), Obj("""
            {"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","$patch":"delete"},{"name":"a","env":null}]}}
            """));

        result["spec"]!["containers"]!.AsArray().Count.ShouldBe(1);
        result["spec"]!["containers"]![0]!.AsObject().ContainsKey("env").ShouldBeFalse();
        result.ToJsonString().ShouldNotContain("$");
    }

    [Fact]
    public void Apply_ReplaceDirective_ReplacesTheList()
    {
        var result = StrategicMergePatch.Apply(Obj(Pod), Obj("""{"spec":{"containers":[{"$patch":"replace"},{"name":"c","image":"c:1"}]}}"""));

        result["spec"]!["containers"]!.ToJsonString().ShouldBe("""[{"name":"c","image":"c:1"}]""");
    }

    [Fact]
    public void Apply_Finalizers_MergeAsASetAndDeleteFromPrimitiveList()
    {
        var added = StrategicMergePatch.Apply(Obj(Pod), Obj("""{"metadata":{"finalizers":["f2","f1"]}}"""));
        var removed = StrategicMergePatch.Apply(added, Obj("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["f1"]}}"""));

        added["metadata"]!["finalizers"]!.ToJsonString().ShouldBe("""["f1","f2"]""");
        removed["metadata"]!["finalizers"]!.ToJsonString().ShouldBe("""["f2"]""");
    }

    [Fact]
    public void Apply_ListWithoutMergeKey_Replaces()
    {
        var result = StrategicMergePatch.Apply(Obj("""{"spec":{"args":["a","b"]}}"""), Obj("""{"spec":{"args":["c"]}}"""));

        result["spec"]!["args"]!.ToJsonString().ShouldBe("""["c"]""");
    }
}
