using System.Text.Json.Nodes;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Tests.Runtime;

public class AppSpecVersionsTests
{
    private readonly AppSpecVersions versions = new();

    [Fact]
    public void Changed_FirstSightThenOnlyItsStatus_RendersOnce()
    {
        versions.Changed(Event(InformerEventType.Added, App(generation: 1))).ShouldBeTrue();

        versions.Changed(Event(InformerEventType.Modified, App(generation: 1, status: "Rendered"))).ShouldBeFalse();
    }

    [Fact]
    public void Changed_ANewGenerationOrAnnotationOrDeletion_RendersAgain()
    {
        versions.Changed(Event(InformerEventType.Added, App(generation: 1)));

        versions.Changed(Event(InformerEventType.Modified, App(generation: 2))).ShouldBeTrue();
        versions.Changed(Event(InformerEventType.Modified, App(generation: 2, annotation: "web"))).ShouldBeTrue();
        versions.Changed(Event(InformerEventType.Modified, App(generation: 2, annotation: "web", deleting: true))).ShouldBeTrue();
    }

    [Fact]
    public void Changed_AResyncOrAReappearance_AlwaysCounts()
    {
        versions.Changed(Event(InformerEventType.Added, App(generation: 1)));

        versions.Changed(Event(InformerEventType.Resync, App(generation: 1))).ShouldBeTrue();
        versions.Changed(Event(InformerEventType.Deleted, App(generation: 1))).ShouldBeTrue();
        versions.Changed(Event(InformerEventType.Added, App(generation: 1))).ShouldBeTrue();
    }

    private static InformerEvent Event(InformerEventType type, JsonObject app) => new(type, app);

    private static JsonObject App(long generation, string? status = null, string? annotation = null, bool deleting = false)
    {
        var metadata = new JsonObject { ["name"] = "app", ["namespace"] = "default", ["generation"] = generation };
        if (annotation is not null)
        {
            metadata["annotations"] = new JsonObject { ["app.oam.dev/rolling-components"] = annotation };
        }

        if (deleting)
        {
            metadata["deletionTimestamp"] = "2026-11-27T00:00:00Z";
        }

        return new JsonObject { ["metadata"] = metadata, ["status"] = status is null ? null : new JsonObject { ["phase"] = status } };
    }
}
