using System.Text.Json.Nodes;
using Sluice.Dashboard.Diff;

namespace Sluice.Dashboard.Tests.Diff;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Redact_ASecretRenderedByAComponent_HidesEveryValueAndKeepsTheKeys()
    {
        var revision = JsonNode.Parse("""
            {"components": [{"name": "web", "workload": {"kind": "Deployment", "spec": {"replicas": 2}},
              "outputs": [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "aHVudGVyMg=="}, "stringData": {"user": "admin"}}]}]}
            """);

        var shown = SecretRedactor.Redact(revision)!.ToJsonString();

        shown.ShouldNotContain("aHVudGVyMg==");
        shown.ShouldNotContain("admin");
        shown.ShouldContain("\"password\":\"(hidden)\"");
        shown.ShouldContain("\"user\":\"(hidden)\"");
        shown.ShouldContain("\"replicas\":2");
        revision!.ToJsonString().ShouldContain("aHVudGVyMg=="); // a copy: the cached object is untouched
    }
}
