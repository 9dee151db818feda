using System.Text.Json.Nodes;
using Sluice.Controllers.Applications;
using Sluice.Core.Api;

namespace Sluice.Controllers.Tests.Applications;

public sealed class StaleResourcesTests
{
    private static JsonObject Resource(string apiVersion, string kind, string name) =>
        new() { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" } };

    private static JsonObject Revision(params (string Name, JsonObject Workload, JsonObject[] Outputs)[] components) => new()
    {
        ["spec"] = new JsonObject
        {
            ["components"] = new JsonArray([.. components.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["workload"] = c.Workload.DeepClone(),
                ["outputs"] = new JsonArray([.. c.Outputs.Select(o => (JsonNode)o.DeepClone())]),
            })]),
        },
    };

    private static RenderedComponent Rendered(string name, JsonObject workload, params JsonObject[] outputs) =>
        new() { Name = name, Workload = workload, Outputs = outputs };

    [Fact]
    public void Find_TraitDroppedInTheNewRevision_IsStale()
    {
        var web = Resource("apps.kruise.io/v1alpha1", "CloneSet", "web");
        var ingress = Resource("networking.k8s.io/v1", "Ingress", "web");
        var service = Resource("v1", "Service", "web");

        var stale = StaleResources.Find([Revision(("web", web, [ingress, service]))], [Rendered("web", web, service)], new HashSet<string>());

        stale.Select(r => r["kind"]!.GetValue<string>()).ShouldBe(["Ingress"]);
    }

    [Fact]
    public void Find_SameObjectRenderedUnderAnotherApiVersion_IsNotStale()
    {
        var web = Resource("apps/v1", "Deployment", "web");

        var stale = StaleResources.Find(
            [Revision(("web", web, [Resource("networking.k8s.io/v1beta1", "Ingress", "web")]))],
            [Rendered("web", web, Resource("networking.k8s.io/v1", "Ingress", "web"))],
            new HashSet<string>());

        stale.ShouldBeEmpty();
    }

    [Fact]
    public void Find_ComponentRemoved_ItsWorkloadIsStaleUnlessARolloutMovesIt()
    {
        var old = Revision(("web", Resource("apps/v1", "Deployment", "web"), []), ("db", Resource("apps/v1", "StatefulSet", "db"), []));
        var now = new[] { Rendered("web", Resource("apps/v1", "Deployment", "web")) };

        StaleResources.Find([old], now, new HashSet<string>()).Select(r => r["kind"]!.GetValue<string>()).ShouldBe(["StatefulSet"]);
        StaleResources.Find([old], now, new HashSet<string> { "db" }).ShouldBeEmpty();
    }

    [Fact]
    public void Find_OutputInSeveralEarlierRevisions_IsListedOnce()
    {
        var web = Resource("apps/v1", "Deployment", "web");
        var ingress = Resource("networking.k8s.io/v1", "Ingress", "web");

        var stale = StaleResources.Find([Revision(("web", web, [ingress])), Revision(("web", web, [ingress]))], [Rendered("web", web)], new HashSet<string>());

        stale.Count.ShouldBe(1);
    }
}
