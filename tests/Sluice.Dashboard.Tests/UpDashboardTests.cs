using System.Net;
using Sluice.ControlPlane;
using Sluice.Dashboard.Tests.Support;
using Sluice.Testing;

namespace Sluice.Dashboard.Tests;

/// <summary><c>sluice up --dashboard</c> as a user runs it: the URL with its token in endpoints.json, and nothing served without it.</summary>
public sealed class UpDashboardTests
{
    [Fact]
    public async Task Up_WithDashboard_WritesItsUrlWithTokenToEndpointsJson()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-up-dashboard-" + Guid.NewGuid().ToString("N"));
        using var up = SluiceProcess.Start("sluice up --dashboard", "up", "--data-dir", dataDir, "--dashboard", "--no-simulator", "--no-controllers");
        try
        {
            var printed = await up.WaitForLineAsync("dashboard: ", TimeSpan.FromSeconds(90));
            await up.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(30));

            var url = EndpointsFile.Read(dataDir)["dashboard"];
            printed.ShouldEndWith(url);
            url.ShouldStartWith("http://127.0.0.1:");
            url.ShouldContain("/?token=");

            using var withCookies = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
            var opened = await withCookies.GetAsync(url);
            opened.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await opened.Content.ReadAsStringAsync()).ShouldContain("<title>Rollouts · Sluice</title>");
            opened.RequestMessage!.RequestUri!.Query.ShouldNotContain("token");

            using var stranger = new HttpClient();
            (await stranger.GetAsync(url[..url.IndexOf('?', StringComparison.Ordinal)])).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

            up.Stop(TimeSpan.FromSeconds(20));
            up.ExitCode.ShouldBe(0, up.Stderr);
            EndpointsFile.Read(dataDir).ShouldNotContainKey("dashboard");
        }
        finally
        {
            up.Stop(TimeSpan.FromSeconds(5));
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
