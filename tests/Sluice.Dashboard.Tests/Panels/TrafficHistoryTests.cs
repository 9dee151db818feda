using Sluice.Controllers.Operations;
using Sluice.Core.Engine;
using Sluice.Dashboard.Panels;

namespace Sluice.Dashboard.Tests.Panels;

public class TrafficHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 22, 0, 0, TimeSpan.Zero);

    private static TrafficPicture Picture(params (string Name, int Weight, int Mirror)[] routes) =>
        new(new TrafficSnapshot { Routes = [.. routes.Select(r => new RouteSnapshot("HTTPRoute", r.Name) { Exists = true, Weight = r.Weight, Mirror = r.Mirror })] },
            new Dictionary<string, string>(), Measured: false, Live: null, Service: "web");

    [Fact]
    public void Record_KeepsASampleOnlyWhenARouterChanged()
    {
        var history = new TrafficHistory();
        history.Record("ns/up/1", Picture(("web", 0, 0), ("api", 0, 0)), T0);
        history.Record("ns/up/1", Picture(("web", 0, 0), ("api", 0, 0)), T0.AddSeconds(1));
        history.Record("ns/up/1", Picture(("web", 20, 0), ("api", 0, 0)), T0.AddSeconds(2));
        var samples = history.Record("ns/up/1", Picture(("web", 20, 10), ("api", 0, 0)), T0.AddSeconds(3));

        samples.Select(s => (s.Router, s.Weight, s.Mirror, (s.At - T0).TotalSeconds)).ShouldBe(
        [
            ("HTTPRoute web", 0, 0, 0.0), ("HTTPRoute api", 0, 0, 0.0), ("HTTPRoute web", 20, 0, 2.0), ("HTTPRoute web", 20, 10, 3.0),
        ]);
    }

    [Fact]
    public void Record_ARolloutCreatedAgain_StartsAfresh_AndAPictureWithAProblemAddsNothing()
    {
        var history = new TrafficHistory();
        history.Record("ns/up/1", Picture(("web", 20, 0)), T0);
        history.Record("ns/up/2", Picture(("web", 0, 0)), T0).Select(s => s.Weight).ShouldBe([0]);
        history.Record("ns/up/2", Picture(("web", 50, 0)) with { Problem = "forbidden" }, T0.AddSeconds(1)).Count.ShouldBe(1);
    }

    [Fact]
    public void Record_ManyChanges_KeepsTheLatest()
    {
        var history = new TrafficHistory();
        IReadOnlyList<TrafficSample> samples = [];
        for (var i = 0; i < TrafficHistory.PerRollout + 10; i++)
        {
            samples = history.Record("ns/up/1", Picture(("web", i % 2 == 0 ? 10 : 20, 0)), T0.AddSeconds(i));
        }

        samples.Count.ShouldBe(TrafficHistory.PerRollout);
        samples[^1].At.ShouldBe(T0.AddSeconds(TrafficHistory.PerRollout + 9));
    }
}
