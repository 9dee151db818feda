using Sluice.Core.Analysis;

namespace Sluice.Core.Tests.Analysis;

public class QueryTemplateTests
{
    private static readonly Dictionary<string, string> Values = new() { ["targetRevision"] = "app-v2", ["interval"] = "1m", ["args.q"] = "0.99" };

    [Fact]
    public void Render_KnownNames_AreReplacedWithOrWithoutSpaces() =>
        QueryTemplate.Render("histogram_quantile({{args.q}}, rate(x{v=\"{{ targetRevision }}\"}[{{interval}}]))", Values, out var error)
            .ShouldBe("histogram_quantile(0.99, rate(x{v=\"app-v2\"}[1m]))");

    [Fact]
    public void Render_UnknownName_IsAnErrorNamingIt()
    {
        QueryTemplate.Render("x{v=\"{{targetRevison}}\"}", Values, out var error).ShouldBeNull();
        error.ShouldBe("unknown variable \"targetRevison\" in {{targetRevison}}");
    }

    [Fact]
    public void Render_UnclosedBrace_IsAnError()
    {
        QueryTemplate.Render("x{{interval", Values, out var error).ShouldBeNull();
        error!.ShouldContain("never closed");
    }

    [Fact]
    public void Render_NoPlaceholders_IsUnchanged() =>
        QueryTemplate.Render("sum(up) by (job)", Values, out _).ShouldBe("sum(up) by (job)");

    [Fact]
    public void Names_ListsEveryPlaceholder() =>
        QueryTemplate.Names("{{a}} {{ b }} {{args.c}}").ShouldBe(["a", "b", "args.c"]);
}
