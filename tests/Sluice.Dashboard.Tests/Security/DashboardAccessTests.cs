using Sluice.Dashboard.Security;

namespace Sluice.Dashboard.Tests.Security;

public sealed class DashboardAccessTests
{
    [Fact]
    public void New_WithoutAToken_MakesALongRandomOne()
    {
        var a = new DashboardAccess();
        var b = new DashboardAccess();

        a.Token.Length.ShouldBeGreaterThanOrEqualTo(43);
        a.Token.ShouldNotBe(b.Token);
        a.Token.ShouldMatch("^[A-Za-z0-9_-]+$");
    }

    [Fact]
    public void Session_AndCsrf_AreDerivedFromTheTokenButAreNotIt()
    {
        var access = new DashboardAccess("0123456789abcdef-token");

        access.Session.ShouldNotBe(access.Token);
        access.Csrf.ShouldNotBe(access.Token);
        access.Csrf.ShouldNotBe(access.Session);
        new DashboardAccess("0123456789abcdef-token").Csrf.ShouldBe(access.Csrf);
        new DashboardAccess("0123456789abcdef-other").Csrf.ShouldNotBe(access.Csrf);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef-toke")]
    [InlineData("0123456789abcdef-tokenX")]
    public void IsToken_AnythingElse_False(string? candidate)
    {
        var access = new DashboardAccess("0123456789abcdef-token");

        access.IsToken(candidate).ShouldBeFalse();
        access.IsSession(candidate).ShouldBeFalse();
        access.IsCsrf(candidate).ShouldBeFalse();
        access.IsToken("0123456789abcdef-token").ShouldBeTrue();
    }

    [Fact]
    public void New_ShortToken_RefusedNamingItsLength() =>
        Should.Throw<ArgumentException>(() => new DashboardAccess("short")).Message.ShouldContain("at least 16 characters; got 5");

    [Fact]
    public void CookieName_IsPerPort() => DashboardAccess.CookieName(8080).ShouldNotBe(DashboardAccess.CookieName(8081));
}
