using System.Text.Json.Nodes;
using Sluice.Core.Api;
using Sluice.Testing;

namespace Sluice.Manifests.Tests;

public class SeedRoundTripTests
{
    public static TheoryData<string> SeedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(RepoPaths.Seed("x"))!, "*.yaml").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public void Seed_ParsesIntoTypesAndReserializesWithoutLoss(string file)
    {
        var original = YamlJson.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(RepoPaths.Seed("x"))!, file)))!;

        var typed = original["kind"]!.GetValue<string>() switch
        {
            AppRollout.KindName => SluiceJson.ToNode(ManifestReader.Read<AppRollout>(original)),
            Application.KindName => SluiceJson.ToNode(ManifestReader.Read<Application>(original)),
            var other => throw new InvalidOperationException($"unexpected kind {other}"),
        };

        JsonNode.DeepEquals(typed, original).ShouldBeTrue($"{file}:\n{typed.ToJsonString()}\n!=\n{original.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public void Seed_SurvivesYamlRoundTrip(string file)
    {
        var original = YamlJson.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(RepoPaths.Seed("x"))!, file)))!;

        JsonNode.DeepEquals(YamlJson.Parse(YamlJson.ToYaml(original)), original).ShouldBeTrue();
    }

    [Fact]
    public void SeedRollout_KeepsIntsAndPercentsApart()
    {
        var rollout = ManifestReader.Read<AppRollout>(YamlJson.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(RepoPaths.Seed("x"))!, "05-rollout-with-partition.yaml")))!);

        var batches = rollout.Spec.RolloutPlan!.RolloutBatches!;
        batches.Select(b => b.Replicas!.ToString()).ShouldBe(["1", "50%", "50%"]);
        batches[0].Replicas!.IsPercent.ShouldBeFalse();
        rollout.Spec.RolloutPlan.BatchPartition.ShouldBe(1);
        rollout.Spec.RolloutPlan.RolloutStrategy.ShouldBe(RolloutStrategy.IncreaseFirst);
    }

    [Fact]
    public void SeedApplication_KeepsRolloutAnnotations()
    {
        var app = ManifestReader.Read<Application>(YamlJson.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(RepoPaths.Seed("x"))!, "03-application-v2.yaml")))!);

        app.Metadata.Annotation(Application.RolloutTemplateAnnotation).ShouldBe("true");
        app.Metadata.Annotation(Application.RollingComponentsAnnotation).ShouldBe("metrics-provider");
        app.Spec.Components.ShouldHaveSingleItem().Properties!["image"]!.GetValue<string>().ShouldBe("stefanprodan/podinfo:5.0.2");
    }
}
