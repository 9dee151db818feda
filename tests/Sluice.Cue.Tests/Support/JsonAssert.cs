using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Cue.Tests.Support;

internal static class JsonAssert
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Whole-document equality (object member order ignored), with both documents in the message.</summary>
    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            throw new Xunit.Sdk.XunitException(
                $"JSON differs.\nExpected:\n{expected?.ToJsonString(Indented)}\nActual:\n{actual?.ToJsonString(Indented)}");
        }
    }
}
