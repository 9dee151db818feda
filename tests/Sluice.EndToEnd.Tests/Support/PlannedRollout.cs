using System.Globalization;
using System.Text;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// One application of a many-rollouts scenario and what its rollouts plan: a scale-up from nothing to
/// <see cref="Replicas"/> pods in <see cref="ScaleBatches"/>, then (for some) an in-place upgrade v1 to v2 in
/// <see cref="UpgradeBatches"/>, possibly held at <c>batchPartition: 0</c> until the test raises it.
/// </summary>
public sealed record PlannedRollout(int Index, int Replicas, IReadOnlyList<int> ScaleBatches, IReadOnlyList<int>? UpgradeBatches, bool Partitioned)
{
    public const string V1Image = "stefanprodan/podinfo:4.0.6";
    public const string V2Image = "stefanprodan/podinfo:5.0.2";

    public string App => $"app-{Index:D2}";

    /// <summary>The component, and so the CloneSet's name.</summary>
    public string Component => $"svc-{Index:D2}";

    public string Rollout => $"rollout-{Index:D2}";

    public string Revision(int version) => $"{App}-v{version}";

    /// <summary>The cumulative pod counts the scale-up's batches ask for, in order.</summary>
    public IReadOnlyList<int> ScaleTargets => Cumulative(ScaleBatches);

    /// <summary>The cumulative upgraded pod counts the upgrade's batches ask for, in order.</summary>
    public IReadOnlyList<int> UpgradeTargets => Cumulative(UpgradeBatches ?? []);

    /// <summary>3 to 8 pods, each rollout in 2 to 4 batches of random sizes (at least one pod each).</summary>
    public static PlannedRollout Create(int index, Random random, bool upgrade, bool partitioned)
    {
        var replicas = random.Next(3, 9);
        return new PlannedRollout(index, replicas, Split(replicas, random), upgrade ? Split(replicas, random) : null, upgrade && partitioned);
    }

    public string ApplicationYaml(string image) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {App}
          annotations:
            "app.oam.dev/rolling-components": "{Component}"
            "app.oam.dev/rollout-template": "true"
        spec:
          components:
            - name: {Component}
              type: clonesetservice
              properties:
                cmd: ["./podinfo"]
                image: {image}
                port: 8080
                updateStrategyType: InPlaceIfPossible
                replicas: {Replicas}
        ---

        """;

    public string ScaleRolloutYaml() => RolloutYaml(null, Revision(1), ScaleBatches, null);

    public string UpgradeRolloutYaml() => RolloutYaml(Revision(1), Revision(2), UpgradeBatches!, Partitioned ? 0 : null);

    public override string ToString() =>
        $"{App}: {Replicas} pods, scale {string.Join('+', ScaleBatches)}{(UpgradeBatches is null ? "" : $", upgrade {string.Join('+', UpgradeBatches)}")}{(Partitioned ? " (partition 0)" : "")}";

    private string RolloutYaml(string? source, string target, IReadOnlyList<int> batches, int? partition)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"""
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata:
              name: {Rollout}
            spec:
            """);
        if (source is not null)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  sourceAppRevisionName: {source}");
        }

        yaml.AppendLine(CultureInfo.InvariantCulture, $"  targetAppRevisionName: {target}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  componentList: [\"{Component}\"]");
        yaml.AppendLine("  rolloutPlan:");
        yaml.AppendLine("    rolloutStrategy: IncreaseFirst");
        if (partition is { } p)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    batchPartition: {p}");
        }

        yaml.AppendLine("    rolloutBatches:");
        foreach (var size in batches)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      - replicas: {size}");
        }

        yaml.AppendLine("---");
        return yaml.ToString();
    }

    private static List<int> Split(int pods, Random random)
    {
        var count = random.Next(2, Math.Min(4, pods) + 1);
        var cuts = Enumerable.Range(1, pods - 1).OrderBy(_ => random.Next()).Take(count - 1).Order().ToList();
        return cuts.Append(pods).Select((cut, i) => cut - (i == 0 ? 0 : cuts[i - 1])).ToList();
    }

    private static List<int> Cumulative(IReadOnlyList<int> sizes)
    {
        var total = 0;
        return sizes.Select(s => total += s).ToList();
    }
}
