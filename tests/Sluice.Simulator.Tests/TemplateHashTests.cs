using System.Text.Json.Nodes;
using Sluice.Simulator;

namespace Sluice.Simulator.Tests;

public sealed class TemplateHashTests
{
    [Fact]
    public void Compute_KeyOrder_DoesNotMatter()
    {
        var a = JsonNode.Parse("""{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}""");
        var b = JsonNode.Parse("""{"spec":{"containers":[{"image":"nginx:1","name":"app"}]},"metadata":{"labels":{"app":"web"}}}""");
        TemplateHash.Compute(a).ShouldBe(TemplateHash.Compute(b));
    }

    [Fact]
    public void Compute_ImageChangeOrCollision_GivesAnotherHash()
    {
        var a = JsonNode.Parse("""{"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}""");
        var b = JsonNode.Parse("""{"spec":{"containers":[{"name":"app","image":"nginx:2"}]}}""");
        TemplateHash.Compute(a).ShouldNotBe(TemplateHash.Compute(b));
        TemplateHash.Compute(a, 1).ShouldNotBe(TemplateHash.Compute(a));
        TemplateHash.Compute(a).ShouldMatch("^[bcdfghjklmnpqrstvwxz2456789]+$");
    }
}
