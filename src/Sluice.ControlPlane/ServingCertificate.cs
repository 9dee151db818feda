using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sluice.ControlPlane;

/// <summary>
/// A CA and a serving certificate for 127.0.0.1/localhost (and the listen address). TLS is not optional:
/// client-go (kubectl) sends bearer tokens only over TLS. The CA goes into the kubeconfig as
/// certificate-authority-data, so clients verify the server. It is kept as PEM so that
/// <see cref="PlaneCredentials"/> can store it and a restart serves the same certificate; the CA's key is
/// not kept (it signs once, at creation): a certificate that no longer fits is replaced with a new CA too.
/// </summary>
internal sealed record ServingCertificate(X509Certificate2 Server, string CaPem, string ServerPem, string KeyPem)
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string LocalHost = "localhost";

    public static ServingCertificate Create(IPAddress listen, TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=sluice-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sluice", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(LocalHost);
        foreach (var address in AddressesFor(listen))
        {
            names.AddIpAddress(address);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth)], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddYears(10), serial);
        return FromPem(ca.ExportCertificatePem(), issued.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Builds the certificate from its PEM parts.</summary>
    /// <exception cref="CryptographicException">A part is malformed.</exception>
    /// <exception cref="ArgumentException">The key does not belong to the certificate.</exception>
    public static ServingCertificate FromPem(string caPem, string serverPem, string keyPem)
    {
        using var withKey = X509Certificate2.CreateFromPem(serverPem, keyPem);
        // A PKCS#12 round trip gives the key a form every platform's TLS stack (SChannel too) can use.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new ServingCertificate(server, caPem, serverPem, keyPem);
    }

    /// <summary>
    /// Whether a client that trusts <see cref="CaPem"/> accepts the server certificate now, for every address
    /// the plane's URL may name when it listens on <paramref name="listen"/>.
    /// </summary>
    /// <exception cref="CryptographicException">The CA is malformed.</exception>
    public bool IsValidFor(IPAddress listen, TimeProvider time)
    {
        using var ca = X509Certificate2.CreateFromPem(CaPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuth));
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(Server))
        {
            return false;
        }
        var names = Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (names is null)
        {
            return false;
        }
        var addresses = names.EnumerateIPAddresses().ToHashSet();
        return names.EnumerateDnsNames().Contains(LocalHost) && AddressesFor(listen).All(addresses.Contains);
    }

    /// <summary>
    /// The addresses the certificate names: the loopbacks (the URL's host when the plane listens on any
    /// address) and a specific listen address, which is then the URL's host (127.0.0.2 too).
    /// </summary>
    private static IEnumerable<IPAddress> AddressesFor(IPAddress listen)
    {
        yield return IPAddress.Loopback;
        yield return IPAddress.IPv6Loopback;
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any)
            && !listen.Equals(IPAddress.Loopback) && !listen.Equals(IPAddress.IPv6Loopback))
        {
            yield return listen;
        }
    }
}
