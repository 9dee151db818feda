using System.Text.Json.Nodes;
using Sluice.Simulator.Controllers;

namespace Sluice.Simulator.Tests.Controllers;

public sealed class DeclaredKindTests
{
    private static JsonObject Declaration(string partition = "spec.rollout.upgraded") => JsonNode.Parse($$"""
        {"metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","version":"v1","kind":"Widget","plural":"widgets","style":"InPlace",
         "partitionCountsFrom":"Bottom","paths":{"replicas":"spec.size","template":"spec.podTemplate","partition":"{{partition}}","paused":"spec.rollout.hold"},
         "status":{"observedGeneration":"status.observedGeneration","replicas":"status.pods","updatedReadyReplicas":"status.upgradedReadyPods"} } }
        """)!.AsObject();

    [Fact]
    public void Equals_TheSameDeclarationParsedTwice_IsEqualSoItsCacheIsNotRestarted()
    {
        var first = DeclaredKind.Parse(Declaration()).Kind!;
        var again = DeclaredKind.Parse(Declaration()).Kind!;

        again.ShouldBe(first);
        again.GetHashCode().ShouldBe(first.GetHashCode());
        DeclaredKind.Parse(Declaration("spec.rollout.moved")).Kind.ShouldNotBe(first);
    }
}
