using System.Text.Json.Nodes;
using Sluice.Core.Operations;

namespace Sluice.Core.Tests.Operations;

/// <summary><c>sluice set image</c>'s edit of an Application: which components, what it refuses.</summary>
public sealed class ImageChangeTests
{
    private static JsonObject App() => JsonNode.Parse("""
        {"metadata":{"name":"test-rolling"},"spec":{"components":[
          {"name":"metrics-provider","type":"clonesetservice","properties":{"image":"stefanprodan/podinfo:4.0.6","port":8080}},
          {"name":"cache","type":"worker"}]}}
        """)!.AsObject();

    [Fact]
    public void Apply_KnownComponents_SetsTheirImagesAndSaysWhatTheyWere()
    {
        var app = App();

        var change = ImageChange.Apply(app, [("metrics-provider", "stefanprodan/podinfo:5.0.2"), ("cache", "redis:7")]);

        change.Refusal.ShouldBeNull();
        change.Changed.ShouldBe(["metrics-provider=stefanprodan/podinfo:5.0.2 (was stefanprodan/podinfo:4.0.6)", "cache=redis:7"]);
        change.Components![0]!["properties"]!["image"]!.GetValue<string>().ShouldBe("stefanprodan/podinfo:5.0.2");
        change.Components[0]!["properties"]!["port"]!.GetValue<int>().ShouldBe(8080);
        change.Components[1]!["properties"]!["image"]!.GetValue<string>().ShouldBe("redis:7");
        app["spec"]!["components"]![0]!["properties"]!["image"]!.GetValue<string>().ShouldBe("stefanprodan/podinfo:4.0.6", "the read object is left as it was");
    }

    [Fact]
    public void Apply_SameImage_ChangesNothing()
    {
        ImageChange.Apply(App(), [("metrics-provider", "stefanprodan/podinfo:4.0.6")]).Changed.ShouldBeEmpty();
    }

    [Fact]
    public void Apply_UnknownComponent_IsRefusedNamingItAndTheComponentsThereAre()
    {
        var change = ImageChange.Apply(App(), [("web", "nginx:1.27")]);

        change.Refusal.ShouldBe("Application \"test-rolling\" has no component \"web\" in spec.components (it has: metrics-provider, cache)");
        change.NotFound.ShouldBeTrue();
        change.Components.ShouldBeNull();
    }

    [Theory]
    [InlineData("web", "\"web\" is not COMPONENT=IMAGE (for example web=nginx:1.27)")]
    [InlineData("web=", "\"web=\" is not COMPONENT=IMAGE (for example web=nginx:1.27)")]
    [InlineData("=nginx", "\"=nginx\" is not COMPONENT=IMAGE (for example web=nginx:1.27)")]
    public void Parse_Malformed_SaysWhichArgument(string argument, string error)
    {
        ImageChange.Parse([argument]).Error.ShouldBe(error);
    }

    [Fact]
    public void Parse_SameComponentTwice_IsRefused()
    {
        ImageChange.Parse(["web=a:1", "web=a:2"]).Error.ShouldBe("component \"web\" is named twice");
    }

    [Fact]
    public void Parse_ImageWithARegistryPortAndDigest_KeepsEverythingAfterTheFirstEquals()
    {
        ImageChange.Parse(["web=registry:5000/web@sha256:abc"]).Pairs.ShouldBe([("web", "registry:5000/web@sha256:abc")]);
    }
}
