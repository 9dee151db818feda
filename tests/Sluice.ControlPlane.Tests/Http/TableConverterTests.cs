using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane.Http;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Tests.Http;

public class TableConverterTests
{
    private static string PodStatusCell(string status)
    {
        var pods = BuiltInResources.All.First(t => t.GroupResource == new GroupResource("", "pods"));
        var pod = JsonNode.Parse($$"""{"metadata":{"name":"p","creationTimestamp":"2026-11-26T12:00:00Z"},"status":{{status}}}""")!.AsObject();
        var table = new TableConverter(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 1, 0, TimeSpan.Zero))).Convert(pods, [pod], 1, null);
        var columns = table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        return table["rows"]![0]!["cells"]![columns.IndexOf("Status")]!.GetValue<string>();
    }

    [Theory]
    [InlineData("""{"phase":"Running"}""", "Running")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}""", "CrashLoopBackOff")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"state":{"terminated":{"reason":"Error"}}}]}""", "Error")]
    [InlineData("""{"phase":"Failed","reason":"Evicted"}""", "Evicted")]
    [InlineData("""{}""", "Pending")]
    public void Convert_PodStatus_SaysWhyAsKubectlDoes(string status, string expected) =>
        PodStatusCell(status).ShouldBe(expected);
}
