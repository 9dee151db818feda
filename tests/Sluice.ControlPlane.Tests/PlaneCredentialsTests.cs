using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.ControlPlane.Tests;

public sealed class PlaneCredentialsTests
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "sluice-pki-" + Guid.NewGuid().ToString("N"));

    private static string Pki(string dir, string file) => Path.Combine(dir, "pki", file);

    [Fact]
    public void LoadOrCreate_Twice_ReturnsTheSameTokenAndCertificate()
    {
        var dir = TempDir();
        var first = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        _time.Advance(TimeSpan.FromDays(300));

        var second = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);

        second.Token.ShouldBe(first.Token);
        second.Certificate.CaPem.ShouldBe(first.Certificate.CaPem);
        second.Certificate.Server.Thumbprint.ShouldBe(first.Certificate.Server.Thumbprint);
        second.Certificate.Server.HasPrivateKey.ShouldBeTrue();
        second.ServiceAccountKey.ExportSubjectPublicKeyInfo().ShouldBe(first.ServiceAccountKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void LoadOrCreate_CorruptServiceAccountKey_MakesANewOne()
    {
        var dir = TempDir();
        var first = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        File.WriteAllText(Pki(dir, "sa.key"), "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");

        var second = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);

        second.ServiceAccountKey.ExportSubjectPublicKeyInfo().ShouldNotBe(first.ServiceAccountKey.ExportSubjectPublicKeyInfo());
        second.Token.ShouldBe(first.Token);
    }

    [Fact]
    public void LoadOrCreate_AfterTheCertificateExpired_MakesANewOneAndKeepsTheToken()
    {
        var dir = TempDir();
        var first = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        _time.Advance(TimeSpan.FromDays(11 * 366));

        var second = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);

        second.Token.ShouldBe(first.Token);
        second.Certificate.CaPem.ShouldNotBe(first.Certificate.CaPem);
        second.Certificate.IsValidFor(Loopback, _time).ShouldBeTrue();
        File.ReadAllText(Pki(dir, "ca.crt")).ShouldBe(second.Certificate.CaPem);
    }

    [Theory]
    [InlineData("192.0.2.7")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    public void LoadOrCreate_ForAnotherListenAddress_ServesACertificateNamingIt(string listen)
    {
        var dir = TempDir();
        PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        var address = IPAddress.Parse(listen);

        var credentials = PlaneCredentials.LoadOrCreate(dir, address, _time);

        credentials.Certificate.IsValidFor(address, _time).ShouldBeTrue();
        var names = credentials.Certificate.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().ToList();
        names.ShouldContain(IPAddress.Loopback);
        if (!address.Equals(IPAddress.Any))
        {
            names.ShouldContain(address);
        }
    }

    [Theory]
    [InlineData("token")]
    [InlineData("ca.crt")]
    [InlineData("server.crt")]
    [InlineData("server.key")]
    public void LoadOrCreate_WithAFileMissing_MakesThatPartAnew(string file)
    {
        var dir = TempDir();
        var first = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        File.Delete(Pki(dir, file));

        var second = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);

        File.Exists(Pki(dir, file)).ShouldBeTrue();
        (second.Token == first.Token).ShouldBe(file != "token");
        (second.Certificate.CaPem == first.Certificate.CaPem).ShouldBe(file == "token");
        second.Certificate.IsValidFor(Loopback, _time).ShouldBeTrue();
    }

    [Fact]
    public void LoadOrCreate_WithAKeyFromAnotherCertificate_MakesANewCertificate()
    {
        var dir = TempDir();
        var other = TempDir();
        var first = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        PlaneCredentials.LoadOrCreate(other, Loopback, _time);
        File.Copy(Pki(other, "server.key"), Pki(dir, "server.key"), overwrite: true);

        var second = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);

        second.Certificate.CaPem.ShouldNotBe(first.Certificate.CaPem);
        second.Certificate.IsValidFor(Loopback, _time).ShouldBeTrue();
    }

    [Fact]
    public void LoadOrCreate_WithACaThatDidNotSignTheServerCertificate_MakesANewCertificate()
    {
        var dir = TempDir();
        var other = TempDir();
        var first = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        PlaneCredentials.LoadOrCreate(other, Loopback, _time);
        File.Copy(Pki(other, "ca.crt"), Pki(dir, "ca.crt"), overwrite: true);

        var second = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);

        second.Certificate.CaPem.ShouldNotBe(first.Certificate.CaPem);
        second.Certificate.IsValidFor(Loopback, _time).ShouldBeTrue();
        File.ReadAllText(Pki(dir, "ca.crt")).ShouldBe(second.Certificate.CaPem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("\0\u00ff binary")]
    public void LoadOrCreate_WithAMalformedToken_MakesANewOne(string content)
    {
        var dir = TempDir();
        PlaneCredentials.LoadOrCreate(dir, Loopback, _time);
        File.WriteAllText(Pki(dir, "token"), content);

        var credentials = PlaneCredentials.LoadOrCreate(dir, Loopback, _time);

        credentials.Token.Length.ShouldBe(64);
        credentials.Token.ShouldNotBe(content);
        File.ReadAllText(Pki(dir, "token")).ShouldBe(credentials.Token + "\n");
    }
}
