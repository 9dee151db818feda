using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Simulator;

/// <summary>
/// The hash that names a pod-template revision, as kube-controller-manager computes it in spirit:
/// FNV-1a (32 bit) over the template (keys sorted) and the collision count, written with the
/// vowel-free alphabet Kubernetes uses for generated names (so it never spells words).
/// </summary>
internal static class TemplateHash
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonNode? template, long collisionCount = 0)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Json.Canonical(template)))
        {
            hash = (hash ^ b) * 16777619u;
        }
        if (collisionCount > 0)
        {
            foreach (var b in BitConverter.GetBytes(collisionCount))
            {
                hash = (hash ^ b) * 16777619u;
            }
        }
        var digits = hash.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder(digits.Length);
        foreach (var c in digits)
        {
            sb.Append(Alphabet[c % Alphabet.Length]);
        }
        return sb.ToString();
    }
}
