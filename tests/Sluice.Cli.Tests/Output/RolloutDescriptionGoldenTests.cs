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
}
