using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Tests.Support;

public static class Namespaces
{
    /// <summary>Creates a fresh namespace through the in-process store and returns its name.</summary>
    public static string Fresh(this RunningPlane plane, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        plane.Plane.Store.Create(new GroupResource("", "namespaces"), null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        return name;
    }
}
