using Sluice.Cli.Output;
using Sluice.Cli.Tests.Support;
using Sluice.Core.Api;

namespace Sluice.Cli.Tests.Output;

public class RolloutDescriptionGoldenTests
{
    [Fact]
    public void Render_ParkedAtPartition_MatchesGolden()
    {
        var text = RolloutDescription.Render(SluiceJson.Deserialize<AppRollout>(Samples.RolloutParked()), Samples.ParkedEvents(), Samples.Now);

        Golden.ShouldMatch(text, "describe-rollout-parked.txt");
    }

    [Fact]
    public void Render_Failed_MarksTheFailedBatchAndShowsWhy()
    {
        var text = RolloutDescription.Render(SluiceJson.Deserialize<AppRollout>(Samples.RolloutFailed()), [], Samples.Now);

        Golden.ShouldMatch(text, "describe-rollout-failed.txt");
    }

    [Fact]
    public void Render_FollowingAnApplication_SaysWhichAndHow()
    {
        var stored = Samples.RolloutParked();
        stored["spec"]!["follow"] = new System.Text.Json.Nodes.JsonObject { ["application"] = "test-rolling" };

        var text = RolloutDescription.Render(SluiceJson.Deserialize<AppRollout>(stored), [], Samples.Now);

        text.ShouldContain("Follows:      application test-rolling (each new revision rolls out from the one serving)\n");
    }

    [Fact]
    public void Render_NamingRevisions_HasNoFollowsLine()
    {
        var text = RolloutDescription.Render(SluiceJson.Deserialize<AppRollout>(Samples.RolloutParked()), [], Samples.Now);

        text.ShouldNotContain("Follows:");
    }
}
