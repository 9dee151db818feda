using Sluice.Cli.Output;

namespace Sluice.Cli.Tests.Output;

public class TextTableTests
{
    [Fact]
    public void Render_PadsColumnsAndTrimsLineEnds() =>
        TextTable.Render(["NAME", "AGE", ""], [["a", "1s", ""], ["long-name", "10m", "!"]])
            .ShouldBe("NAME        AGE\na           1s\nlong-name   10m   !\n");
}
