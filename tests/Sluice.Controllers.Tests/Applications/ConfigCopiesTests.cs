using System.Text.Json.Nodes;
using Sluice.Controllers.Applications;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Tests.Applications;

/// <summary>Which referenced objects are tracked, what the copies are, and that their names follow the data.</summary>
public class ConfigCopiesTests
{
    private static readonly ResourceKind ConfigMap = ResourceKinds.For("v1", "ConfigMap");

    private static JsonObject Workload() => JsonNode.Parse("""
        {"kind":"CloneSet","spec":{"template":{"spec":{
          "volumes":[{"name":"config","configMap":{"name":"web-config"}},{"name":"flags","configMap":{"name":"web-flags"}},{"name":"gone","configMap":{"name":"missing"}}],
          "containers":[{"name":"app","envFrom":[{"secretRef":{"name":"web-env"}}]}]}}}}
        """)!.AsObject();

    private static FakeKubeApi Api(string greeting = "hello")
    {
        var api = new FakeKubeApi();
        api.Put(ConfigMap, JsonNode.Parse("""{"metadata":{"name":"web-config","namespace":"default"},"data":{"greeting":"GREETING"}}""".Replace("GREETING", greeting, StringComparison.Ordinal))!.AsObject());
        api.Put(ConfigMap, JsonNode.Parse("""{"metadata":{"name":"web-flags","namespace":"default","annotations":{"rollout.sluice.dev/track":"false"}},"data":{"debug":"true"}}""")!.AsObject());
        api.Put(ResourceKind.Secret, JsonNode.Parse("""{"metadata":{"name":"web-env","namespace":"default"},"type":"Opaque","data":{"TOKEN":"czNjcjN0"}}""")!.AsObject());
        return api;
    }

    [Fact]
    public async Task TrackAsync_TrackedOptedOutAndMissing_PointsOnlyTheTrackedAtImmutableCopiesNamedByTheirHash()
    {
        var workload = Workload();

        var tracked = await new ConfigCopies(Api()).TrackAsync(workload, "default", "site", CancellationToken.None);

        tracked.Select(t => (t.Kind, t.Name)).ShouldBe([("ConfigMap", "web-config"), ("Secret", "web-env")]);
        var config = tracked[0];
        config.CopyName.ShouldBe($"web-config-{config.Hash}");
        config.Copy["immutable"]!.GetValue<bool>().ShouldBeTrue();
        config.Copy["data"]!["greeting"]!.GetValue<string>().ShouldBe("hello");
        config.Copy["metadata"]!["labels"]![ConfigCopies.CopyOfLabel]!.GetValue<string>().ShouldBe("web-config");
        tracked[1].Copy["type"]!.GetValue<string>().ShouldBe("Opaque");
        var pod = workload["spec"]!["template"]!["spec"]!;
        pod["volumes"]![0]!["configMap"]!["name"]!.GetValue<string>().ShouldBe(config.CopyName);
        pod["volumes"]![1]!["configMap"]!["name"]!.GetValue<string>().ShouldBe("web-flags", "opted out");
        pod["volumes"]![2]!["configMap"]!["name"]!.GetValue<string>().ShouldBe("missing", "not there to copy");
        pod["containers"]![0]!["envFrom"]![0]!["secretRef"]!["name"]!.GetValue<string>().ShouldBe(tracked[1].CopyName);
    }

    [Fact]
    public async Task TrackAsync_SameDataAgainThenChangedData_SameCopyThenANewOne()
    {
        var first = await new ConfigCopies(Api()).TrackAsync(Workload(), "default", "site", CancellationToken.None);
        var again = await new ConfigCopies(Api()).TrackAsync(Workload(), "default", "site", CancellationToken.None);
        var changed = await new ConfigCopies(Api("bonjour")).TrackAsync(Workload(), "default", "site", CancellationToken.None);

        again[0].CopyName.ShouldBe(first[0].CopyName);
        changed[0].CopyName.ShouldNotBe(first[0].CopyName);
        changed[1].CopyName.ShouldBe(first[1].CopyName, "the Secret did not change");
    }

    [Fact]
    public async Task EnsureAsync_TwiceForTheSameCopies_CreatesEachOnceOwnedByTheApplication()
    {
        var api = Api();
        var copies = new ConfigCopies(api);
        var tracked = await copies.TrackAsync(Workload(), "default", "site", CancellationToken.None);
        var app = JsonNode.Parse("""{"apiVersion":"core.oam.dev/v1beta1","kind":"Application","metadata":{"name":"site","namespace":"default","uid":"u-1"}}""")!.AsObject();

        await copies.EnsureAsync(tracked, app, "default", CancellationToken.None);
        await copies.EnsureAsync(tracked, app, "default", CancellationToken.None);

        api.Calls.Count(c => c.StartsWith("create ", StringComparison.Ordinal)).ShouldBe(2);
        var copy = (await api.GetAsync(ConfigMap, "default", tracked[0].CopyName, CancellationToken.None))!;
        copy["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().ShouldBe("u-1");
        copy["data"]!["greeting"]!.GetValue<string>().ShouldBe("hello");
    }
}
