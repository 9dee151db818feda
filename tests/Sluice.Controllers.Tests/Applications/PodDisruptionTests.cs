using System.Text.Json.Nodes;
using Sluice.Controllers.Applications;

namespace Sluice.Controllers.Tests.Applications;

public class PodDisruptionTests
{
    private static readonly Dictionary<string, bool> Disruptive = new() { ["labels"] = true, ["env"] = true, ["scaler"] = false };

    private static JsonArray Traits(string json) => JsonNode.Parse(json)!.AsArray();

    [Fact]
    public void Changed_OnlyANonDisruptiveTraitChanged_IsEmpty()
    {
        PodDisruption.Changed(
            Traits("""[{"type":"scaler","properties":{"replicas":3}},{"type":"labels","properties":{"team":"a"}}]"""),
            Traits("""[{"type":"scaler","properties":{"replicas":2}},{"type":"labels","properties":{"team":"a"}}]"""),
            Disruptive).ShouldBeEmpty();
    }

    [Fact]
    public void Changed_DisruptiveTraitsChangedAddedOrRemoved_NamesThem()
    {
        PodDisruption.Changed(
            Traits("""[{"type":"labels","properties":{"team":"b"}}]"""),
            Traits("""[{"type":"labels","properties":{"team":"a"}},{"type":"env","properties":{"env":{"A":"1"}}}]"""),
            Disruptive).ShouldBe(["env", "labels"]);
    }
}
