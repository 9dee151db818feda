using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Tests.Markup;

public sealed class HtmlTests
{
    [Fact]
    public void Of_StringHoles_AreEncodedInTextAndAttributes()
    {
        var name = "<script>alert(\"x\")</script>";

        var html = Html.Of($"<a title=\"{name}\">{name}</a>").ToString();

        html.ShouldNotContain("<script>");
        html.ShouldNotContain("\"x\"");
        html.ShouldBe("<a title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>");
    }

    [Fact]
    public void Of_HtmlHoles_AreKeptAndNumbersAreInvariant()
    {
        var inner = Html.Of($"<b>{"a&b"}</b>");

        Html.Of($"<p>{inner} {1234567} ✔</p>").ToString().ShouldBe("<p><b>a&amp;b</b> 1234567 ✔</p>");
    }
}
