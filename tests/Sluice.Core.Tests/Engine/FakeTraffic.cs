using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Core.Tests.Engine;

/// <summary>
/// In-memory routers: one route and the stable and canary Services, taking <see cref="TrafficIntent"/>s as the real routers
/// do; the ready pods behind each Service come from the <see cref="FakeWorkload"/> (stable pinned to the source's hash,
/// canary to the target's, an unpinned stable selects every pod).
/// </summary>
internal sealed class FakeTraffic(FakeWorkload workload, string sourceHash = "hash-v1", string targetHash = "hash-v2", bool blueGreen = false)
{
    /// <summary>Blue/green: the hash the active Service pins (null: its plain selector, every pod).</summary>
    public string? ActiveHash { get; private set; }

    public bool PreviewExists { get; private set; }

    /// <summary>(active hash, active ready pods) after every intent.</summary>
    public List<(string? Hash, int Ready)> ActiveHistory { get; } = [];

    public int Weight { get; private set; }

    public IReadOnlyList<TrafficMatch> Matches { get; private set; } = [];

    public int Mirror { get; private set; }

    public string? StableHash { get; private set; }

    public bool CanaryExists { get; private set; }

    public bool Touched { get; private set; }

    public List<TrafficIntent> Applied { get; } = [];

    /// <summary>(weight, stable hash, canary ready pods, stable ready pods) after every intent, for invariants.</summary>
    public List<(int Weight, string? StableHash, int CanaryReady, int StableReady)> History { get; } = [];

    public void Apply(TrafficIntent intent)
    {
        Applied.Add(intent);
        switch (intent)
        {
            case PinServices:
                StableHash = sourceHash;
                CanaryExists = Touched = true;
                break;
            case RouteTraffic route:
                (Weight, Matches, Mirror) = (route.Weight, route.Matches, route.Mirror);
                Touched = true;
                break;
            case PromoteStable:
                StableHash = targetHash;
                break;
            case ResetTraffic:
                (Weight, Matches, Mirror, StableHash, CanaryExists, Touched) = (0, [], 0, null, false, false);
                (ActiveHash, PreviewExists) = (null, false);
                break;
            case SwitchActive active:
                ActiveHash = active.TargetHash;
                Touched = true;
                break;
            case PreviewTarget:
                PreviewExists = Touched = true;
                break;
        }

        ActiveHistory.Add((ActiveHash, ActiveReady));

        History.Add((Weight, StableHash, CanaryReady, StableReady));
    }

    public int CanaryReady => CanaryExists ? workload.TargetReady : 0;

    public int StableReady => StableHash is null ? workload.TargetReady + workload.SourceReady
        : StableHash == sourceHash ? workload.SourceReady : workload.TargetReady;

    public int ActiveReady => ActiveHash is null ? workload.TargetReady + workload.SourceReady
        : ActiveHash == sourceHash ? workload.SourceReady : workload.TargetReady;

    public TrafficSnapshot Snapshot() => blueGreen ? new TrafficSnapshot
    {
        Services =
        [
            new ServiceSnapshot(ServiceRole.Active, "web") { Exists = true, SelectedHash = ActiveHash, OriginalRecorded = ActiveHash is not null, ReadyPods = ActiveReady },
            new ServiceSnapshot(ServiceRole.Preview, "web-preview") { Exists = PreviewExists, SelectedHash = PreviewExists ? targetHash : null, CreatedByRollout = PreviewExists, ReadyPods = PreviewExists ? workload.TargetReady : 0 },
        ],
    } : new TrafficSnapshot
    {
        Routes = [new RouteSnapshot("HTTPRoute", "web") { Exists = true, Weight = Weight, Matches = Matches, Mirror = Mirror, OriginalRecorded = Touched }],
        Services =
        [
            new ServiceSnapshot(ServiceRole.Stable, "web") { Exists = true, SelectedHash = StableHash, OriginalRecorded = StableHash is not null, ReadyPods = StableReady },
            new ServiceSnapshot(ServiceRole.Canary, "web-canary") { Exists = CanaryExists, SelectedHash = CanaryExists ? targetHash : null, CreatedByRollout = CanaryExists, ReadyPods = CanaryReady },
        ],
    };
}
