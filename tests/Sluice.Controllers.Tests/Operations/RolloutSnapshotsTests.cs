using Sluice.Controllers.Operations;

namespace Sluice.Controllers.Tests.Operations;

public class RolloutSnapshotsTests
{
    [Theory]
    [InlineData("stefanprodan/podinfo:6.1.0", "stefanprodan/podinfo:6.1.0")]
    [InlineData("docker.io/stefanprodan/podinfo:6.1.0", "stefanprodan/podinfo:6.1.0")]
    [InlineData("docker.io/library/nginx:latest", "nginx")]
    [InlineData("sha256:0123abcd", "nginx:1.25")]
    [InlineData("registry.example.com/app@sha256:0123abcd", "registry.example.com/app:1")]
    public void SameImage_AsAKubeletReportsTheSpecImage_IsTheSame(string running, string spec) =>
        RolloutSnapshots.SameImage(running, spec).ShouldBeTrue();

    [Theory]
    [InlineData("stefanprodan/podinfo:6.2.0", "stefanprodan/podinfo:6.1.0")]
    [InlineData("docker.io/stefanprodan/podinfo:6.2.0", "stefanprodan/podinfo:6.1.0")]
    [InlineData("docker.io/library/nginx:1.25", "nginx")]
    public void SameImage_AContainerStillRunningTheOldImage_IsNotTheSame(string running, string spec) =>
        RolloutSnapshots.SameImage(running, spec).ShouldBeFalse();
}
