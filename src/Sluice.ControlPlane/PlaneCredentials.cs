using System.Net;
using System.Security.Cryptography;

namespace Sluice.ControlPlane;

/// <summary>
/// The bearer token and the serving certificate, kept in <c>DIR/pki</c> (owner only, 0600) so that a restart
/// on the same data directory serves the same ones: like a real API server, the plane keeps its credentials,
/// and every client holding the kubeconfig (a running <c>sluice controller</c>, a user's copy) goes on
/// working. Each part is made anew when it is missing, unreadable, malformed, expired or not valid for the
/// listen address; a broken file never stops the plane. Deleting <c>DIR/pki</c> forces new credentials.
/// </summary>
internal sealed record PlaneCredentials(string Token, ServingCertificate Certificate, ECDsa ServiceAccountKey)
{
    private const string TokenFile = "token";
    private const string CaFile = "ca.crt";
    private const string ServerFile = "server.crt";
    private const string KeyFile = "server.key";
    private const string ServiceAccountKeyFile = "sa.key";

    /// <summary>Loads what <c>DIR/pki</c> holds and is still good, and makes (and stores) the rest.</summary>
    /// <remarks>Call it holding the data directory's lock: it may rewrite <c>DIR/pki</c>.</remarks>
    public static PlaneCredentials LoadOrCreate(string dataDir, IPAddress listen, TimeProvider time)
    {
        var pki = Path.Combine(dataDir, "pki");
        OwnerOnlyFile.CreateDirectory(pki);

        var token = LoadToken(pki);
        if (token is null)
        {
            token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            OwnerOnlyFile.Write(Path.Combine(pki, TokenFile), token + "\n");
        }

        var certificate = LoadCertificate(pki, listen, time);
        if (certificate is null)
        {
            certificate = ServingCertificate.Create(listen, time);
            // The key first and the CA last: a start interrupted in between leaves parts that do not fit
            // together, which the next start rejects and replaces.
            OwnerOnlyFile.Write(Path.Combine(pki, KeyFile), certificate.KeyPem);
            OwnerOnlyFile.Write(Path.Combine(pki, ServerFile), certificate.ServerPem);
            OwnerOnlyFile.Write(Path.Combine(pki, CaFile), certificate.CaPem);
        }

        var saKey = LoadServiceAccountKey(pki);
        if (saKey is null)
        {
            saKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            OwnerOnlyFile.Write(Path.Combine(pki, ServiceAccountKeyFile), saKey.ExportPkcs8PrivateKeyPem());
        }

        return new PlaneCredentials(token, certificate, saKey);
    }

    /// <summary>The key that signs service account tokens (so tokens stay valid across restarts), if stored and well-formed.</summary>
    private static ECDsa? LoadServiceAccountKey(string pki)
    {
        var pem = Read(Path.Combine(pki, ServiceAccountKeyFile));
        if (pem is null)
        {
            return null;
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize == 256)
            {
                return key;
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
        }
        key.Dispose();
        return null;
    }

    /// <summary>The stored token if it is one this class makes (64 lowercase hex digits), else null.</summary>
    private static string? LoadToken(string pki)
    {
        var token = Read(Path.Combine(pki, TokenFile))?.Trim();
        return token is { Length: 64 } && token.All(char.IsAsciiHexDigitLower) ? token : null;
    }

    /// <summary>The stored certificate if all its parts are there, fit together and are valid now for <paramref name="listen"/>, else null.</summary>
    private static ServingCertificate? LoadCertificate(string pki, IPAddress listen, TimeProvider time)
    {
        var ca = Read(Path.Combine(pki, CaFile));
        var server = Read(Path.Combine(pki, ServerFile));
        var key = Read(Path.Combine(pki, KeyFile));
        if (ca is null || server is null || key is null)
        {
            return null;
        }
        try
        {
            var certificate = ServingCertificate.FromPem(ca, server, key);
            if (certificate.IsValidFor(listen, time))
            {
                return certificate;
            }
            certificate.Server.Dispose();
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
