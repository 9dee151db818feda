using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// The JSON text (UTF-8) of stored objects, made once when an object is stored and kept beside it, so that the SQLite
/// write, the watch history, every watcher and every GET or LIST of it reuse one serialization instead of making
/// their own. Stored objects never change after they are stored, so their text stays right; an object not stored
/// (a copy) is serialized on demand. Written as kube-apiserver writes JSON (quotes as <c>\"</c>, not <c>\u0022</c>).
/// </summary>
internal static class StoredText
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly ConditionalWeakTable<JsonObject, byte[]> Texts = [];

    /// <summary>The text of <paramref name="obj"/>: the one kept when it was stored, else serialized now (and kept).</summary>
    public static byte[] Of(JsonObject obj) => Texts.GetValue(obj, Serialize);

    /// <summary>Keeps <paramref name="utf8"/> as the text of a stored object (which must not change from now on).</summary>
    public static void Remember(JsonObject obj, byte[] utf8) => Texts.AddOrUpdate(obj, utf8);

    public static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
