using System.Security.Cryptography;
using System.Text;

namespace Sluice.ControlPlane.Auth;

/// <summary>
/// Turns a request's bearer token into a user: the admin token of the generated kubeconfig is
/// <see cref="UserInfo.Admin"/> (a member of <c>system:masters</c>), a service account token from the TokenRequest API
/// is that account's user; anything else is not authenticated (401). There is no anonymous user.
/// </summary>
public sealed class Authenticator
{
    private readonly byte[] _adminHeader;

    internal Authenticator(string adminToken, ServiceAccountTokens tokens)
    {
        _adminHeader = Encoding.UTF8.GetBytes("Bearer " + adminToken);
        Tokens = tokens;
    }

    public ServiceAccountTokens Tokens { get; }

    /// <summary>The user of an <c>Authorization</c> header, or null.</summary>
    public UserInfo? Authenticate(string authorization)
    {
        var presented = Encoding.UTF8.GetBytes(authorization);
        if (CryptographicOperations.FixedTimeEquals(presented, _adminHeader))
        {
            return UserInfo.Admin;
        }
        const string bearer = "Bearer ";
        if (!authorization.StartsWith(bearer, StringComparison.Ordinal))
        {
            return null;
        }
        return Tokens.Validate(authorization[bearer.Length..].Trim()).User;
    }
}
