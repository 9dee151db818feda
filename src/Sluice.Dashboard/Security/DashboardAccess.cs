using System.Security.Cryptography;
using System.Text;

namespace Sluice.Dashboard.Security;

/// <summary>
/// Who may use the dashboard: whoever holds its token. The token (random, 32 bytes) comes once in the URL that
/// <c>sluice dashboard</c> prints; the server then sets a session cookie derived from it (HttpOnly, SameSite=Strict),
/// so the token leaves the address bar at once. Every action also carries a CSRF token derived from it, in the form.
/// Nothing is served or done without one of them; comparisons take constant time.
/// </summary>
public sealed class DashboardAccess
{
    private readonly byte[] token;

    public DashboardAccess(string? token = null)
    {
        Token = token ?? Base64Url(RandomNumberGenerator.GetBytes(32));
        if (Token.Length < 16)
        {
            throw new ArgumentException($"the dashboard token must be at least 16 characters; got {Token.Length}", nameof(token));
        }

        this.token = Encoding.UTF8.GetBytes(Token);
        Session = Derive("session");
        Csrf = Derive("csrf");
    }

    /// <summary>The secret in the URL: <c>?token=...</c>.</summary>
    public string Token { get; }

    /// <summary>The session cookie's value (not the token itself, so a cookie that leaks does not give away the URL).</summary>
    public string Session { get; }

    /// <summary>The value every action's form must carry as <c>_csrf</c>.</summary>
    public string Csrf { get; }

    public bool IsToken(string? candidate) => Same(candidate, Token);

    public bool IsSession(string? candidate) => Same(candidate, Session);

    public bool IsCsrf(string? candidate) => Same(candidate, Csrf);

    /// <summary>The cookie's name, by port: browsers share cookies between the ports of one host.</summary>
    public static string CookieName(int port) => $"sluice-dashboard-{port}";

    private string Derive(string purpose) => Base64Url(HMACSHA256.HashData(token, Encoding.UTF8.GetBytes("sluice-dashboard/" + purpose)));

    private static bool Same(string? candidate, string expected) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(expected));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
