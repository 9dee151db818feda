using Sluice.Cli.Tests.Support;

namespace Sluice.Cli.Tests.Commands;

/// <summary><c>sluice dashboard</c>'s refusals: what it cannot serve on, said with the value.</summary>
public sealed class DashboardCommandTests(PlaneFixture plane) : IClassFixture<PlaneFixture>
{
    [Fact]
    public async Task Dashboard_AddressThatIsNotOne_ExitsUnavailableNamingIt()
    {
        var (code, console) = await FakeConsole.RunAsync("dashboard", "--address", "localhost-ish", "--kubeconfig", plane.Kubeconfig);

        code.ShouldBe(ExitCodes.Unavailable);
        console.Stderr.ShouldBe("error: cannot serve the dashboard: the address \"localhost-ish\" is not an IP address (such as 127.0.0.1, or 0.0.0.0 for every interface)\n");
    }

    [Fact]
    public async Task Dashboard_PortTaken_ExitsUnavailableNamingIt()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, console) = await FakeConsole.RunAsync("dashboard", "--port", port, "--kubeconfig", plane.Kubeconfig);

        code.ShouldBe(ExitCodes.Unavailable);
        console.Stderr.ShouldStartWith($"error: cannot serve the dashboard: 127.0.0.1:{port} is already in use");
    }
}
