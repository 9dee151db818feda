using Sluice.Dashboard.Diff;

namespace Sluice.Dashboard.Tests.Diff;

public sealed class LineDiffTests
{
    private static string Script(string before, string after) =>
        string.Join(" ", LineDiff.Lines(before, after).Select(l => (l.Kind switch { DiffKind.Added => "+", DiffKind.Removed => "-", _ => "=" }) + l.Text));

    [Theory]
    [InlineData("a\nb\nc", "a\nc\nd", "=a -b =c +d")]
    [InlineData("", "a\nb", "+a +b")]
    [InlineData("a\nb", "", "-a -b")]
    [InlineData("a\nb", "a\nb", "=a =b")]
    [InlineData("image: 1\nreplicas: 5", "image: 2\nreplicas: 5", "-image: 1 +image: 2 =replicas: 5")]
    [InlineData("a\nb\nc\na\nb\nb\na", "c\nb\na\nb\na\nc", "-a -b =c +b =a =b -b =a +c")]
    public void Lines_TwoTexts_GiveTheShortestEditScript(string before, string after, string expected) =>
        Script(before, after).ShouldBe(expected);

    [Fact]
    public void Lines_AnyTwoTexts_RebuildBothAndKeepTheirLineNumbers()
    {
        var random = new Random(17);
        for (var i = 0; i < 200; i++)
        {
            var before = string.Join("\n", Enumerable.Range(0, random.Next(0, 30)).Select(_ => "l" + random.Next(0, 6)));
            var after = string.Join("\n", Enumerable.Range(0, random.Next(0, 30)).Select(_ => "l" + random.Next(0, 6)));
            var lines = LineDiff.Lines(before, after);

            string.Join("\n", lines.Where(l => l.Kind != DiffKind.Added).Select(l => l.Text)).ShouldBe(before);
            string.Join("\n", lines.Where(l => l.Kind != DiffKind.Removed).Select(l => l.Text)).ShouldBe(after);
            lines.Where(l => l.Old is not null).Select(l => l.Old!.Value).ShouldBe(Enumerable.Range(1, lines.Count(l => l.Kind != DiffKind.Added)));
            lines.Where(l => l.New is not null).Select(l => l.New!.Value).ShouldBe(Enumerable.Range(1, lines.Count(l => l.Kind != DiffKind.Removed)));
        }
    }

    [Fact]
    public void Hunks_ChangesFarApart_AreSeparateWithThreeLinesOfContext()
    {
        var before = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 2\n", "line two\n", StringComparison.Ordinal).Replace("line 18\n", "line eighteen\n", StringComparison.Ordinal);

        var hunks = LineDiff.Hunks(LineDiff.Lines(before, after));

        hunks.Count.ShouldBe(2);
        hunks[0].Lines.First().Text.ShouldBe("line 1");
        hunks[0].Lines.Last().Text.ShouldBe("line 5");
        hunks[1].Lines.First().Text.ShouldBe("line 15");
        hunks[1].Lines.Last().Text.ShouldBe("line 20");
    }

    [Fact]
    public void Hunks_NoChange_None() => LineDiff.Hunks(LineDiff.Lines("a\nb", "a\nb")).ShouldBeEmpty();
}
