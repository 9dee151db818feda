using Sluice.Cli.Output;
using Sluice.Cli.Tests.Support;

namespace Sluice.Cli.Tests.Output;

public class ResourceTablesGoldenTests
{
    [Fact]
    public void RenderRollouts_ParkedSucceededFailed_MatchesGolden()
    {
        var text = ResourceTables.Rollouts.Render([Samples.RolloutParked(), Samples.RolloutSucceeded(), Samples.RolloutFailed()], Samples.Now, wide: false, withNamespace: true);

        Golden.ShouldMatch(text, "get-rollouts.txt");
    }

    [Fact]
    public void RenderRollouts_Wide_MatchesGolden()
    {
        var text = ResourceTables.Rollouts.Render([Samples.RolloutParked(), Samples.RolloutFailed()], Samples.Now, wide: true, withNamespace: false);

        Golden.ShouldMatch(text, "get-rollouts-wide.txt");
    }

    [Fact]
    public void Find_SingularAndFullNames_AnswerToTheSameTable()
    {
        ResourceTables.Find("approllout").ShouldBeSameAs(ResourceTables.Rollouts);
        ResourceTables.Find("Revisions").ShouldBeSameAs(ResourceTables.Revisions);
        ResourceTables.Find("pods").ShouldBeNull();
    }
}
