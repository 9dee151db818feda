using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Sluice.ControlPlane.Protobuf;

/// <summary>
/// Turns one Kubernetes API message on the wire into the JSON object kube-apiserver would make of it: each
/// field by its table (number, JSON name, kind), zero scalars left out unless Go shows them, structs shown even
/// when empty, lists and maps as JSON arrays and objects, and the API's own JSON forms for <c>Time</c>,
/// <c>MicroTime</c>, <c>Duration</c>, <c>Quantity</c>, <c>IntOrString</c>, <c>RawExtension</c> and <c>FieldsV1</c>.
/// Fields the tables do not know are skipped (a newer client's fields), as kube-apiserver skips unknown fields.
/// Malformed input (truncated, wrong wire types, nesting past <see cref="MaxDepth"/>) throws
/// <see cref="ProtoDecodeException"/> naming the field.
/// </summary>
internal static class ProtoJson
{
    public const int MaxDepth = 64;

    public static JsonObject Decode(ProtoMessage message, ReadOnlySpan<byte> bytes) => Decode(message, bytes.ToArray(), "", 0);

    private static JsonObject Decode(ProtoMessage message, byte[] bytes, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtoDecodeException($"nested more than {MaxDepth} deep", path);
        }
        var obj = new JsonObject();
        var input = new CodedInputStream(bytes);
        ProtoField? field = null;
        try
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                field = message.Field(WireFormat.GetTagFieldNumber(tag));
                var wire = WireFormat.GetTagWireType(tag);
                if (field is null || field.Kind == ProtoKind.Skip)
                {
                    input.SkipLastField();
                    continue;
                }
                var fieldPath = path.Length == 0 ? field.Json : $"{path}.{field.Json}";
                switch (field.Kind)
                {
                    case ProtoKind.Message when field.Has(ProtoFieldFlags.Inline):
                        Expect(wire, WireFormat.WireType.LengthDelimited, fieldPath);
                        var inner = Decode(Table(field.Message!), input.ReadBytes().ToByteArray(), path, depth + 1);
                        foreach (var (key, value) in inner.ToList())
                        {
                            inner.Remove(key);
                            obj[key] = value;
                        }
                        break;
                    case ProtoKind.Message:
                        Expect(wire, WireFormat.WireType.LengthDelimited, fieldPath);
                        var node = Message(field.Message!, input.ReadBytes().ToByteArray(), fieldPath, depth + 1);
                        if (field.Has(ProtoFieldFlags.Repeated))
                        {
                            List(obj, field.Json).Add(node);
                        }
                        else if (node is not null && !(field.Has(ProtoFieldFlags.OmitZero) && node is JsonObject { Count: 0 }))
                        {
                            obj[field.Json] = node;
                        }
                        else
                        {
                            obj.Remove(field.Json);
                        }
                        break;
                    case ProtoKind.Map:
                        Expect(wire, WireFormat.WireType.LengthDelimited, fieldPath);
                        var (mapKey, mapValue) = Entry(field, input.ReadBytes().ToByteArray(), fieldPath, depth + 1);
                        if (obj[field.Json] is not JsonObject map)
                        {
                            map = new JsonObject();
                            obj[field.Json] = map;
                        }
                        map[mapKey] = mapValue;
                        break;
                    default:
                        ReadScalar(obj, field, wire, input, fieldPath);
                        break;
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtoDecodeException(e.Message, field is null ? path : path.Length == 0 ? field.Json : $"{path}.{field.Json}");
        }
        return obj;
    }

    private static void ReadScalar(JsonObject obj, ProtoField field, WireFormat.WireType wire, CodedInputStream input, string path)
    {
        if (field.Has(ProtoFieldFlags.Repeated))
        {
            var list = List(obj, field.Json);
            if (wire == WireFormat.WireType.LengthDelimited && field.Kind is ProtoKind.Int32 or ProtoKind.Int64 or ProtoKind.Bool or ProtoKind.Double)
            {
                // Packed numbers: one length-delimited run of values.
                var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                while (!packed.IsAtEnd)
                {
                    list.Add(Scalar(field.Kind, field.Kind == ProtoKind.Double ? WireFormat.WireType.Fixed64 : WireFormat.WireType.Varint, packed, path));
                }
                return;
            }
            list.Add(Scalar(field.Kind, wire, input, path));
            return;
        }
        var value = Scalar(field.Kind, wire, input, path);
        if (field.Has(ProtoFieldFlags.KeepZero) || !IsZero(value))
        {
            obj[field.Json] = value;
        }
        else
        {
            obj.Remove(field.Json);
        }
    }

    private static JsonNode? Scalar(ProtoKind kind, WireFormat.WireType wire, CodedInputStream input, string path)
    {
        switch (kind)
        {
            case ProtoKind.String:
                Expect(wire, WireFormat.WireType.LengthDelimited, path);
                return JsonValue.Create(input.ReadString());
            case ProtoKind.Bytes:
                Expect(wire, WireFormat.WireType.LengthDelimited, path);
                return JsonValue.Create(input.ReadBytes().ToBase64());
            case ProtoKind.Int32:
                Expect(wire, WireFormat.WireType.Varint, path);
                return JsonValue.Create(input.ReadInt32());
            case ProtoKind.Int64:
                Expect(wire, WireFormat.WireType.Varint, path);
                return JsonValue.Create(input.ReadInt64());
            case ProtoKind.Bool:
                Expect(wire, WireFormat.WireType.Varint, path);
                return JsonValue.Create(input.ReadBool());
            case ProtoKind.Double:
                Expect(wire, WireFormat.WireType.Fixed64, path);
                var d = input.ReadDouble();
                if (!double.IsFinite(d))
                {
                    throw new ProtoDecodeException("not a finite number", path);
                }
                return JsonValue.Create(d);
            default:
                throw new ProtoDecodeException($"unexpected field kind {kind}", path);
        }
    }

    private static bool IsZero(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<int>(out var i) => i == 0,
        JsonValue v when v.TryGetValue<long>(out var l) => l == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        JsonValue v when v.TryGetValue<double>(out var x) => x == 0,
        _ => false,
    };

    private static (string Key, JsonNode? Value) Entry(ProtoField field, byte[] bytes, string path, int depth)
    {
        var input = new CodedInputStream(bytes);
        var key = "";
        JsonNode? value = field.MapValue switch
        {
            ProtoKind.String or ProtoKind.Bytes => JsonValue.Create(""),
            ProtoKind.Int32 or ProtoKind.Int64 => JsonValue.Create(0),
            ProtoKind.Bool => JsonValue.Create(false),
            _ => null,
        };
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var wire = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    Expect(wire, WireFormat.WireType.LengthDelimited, path);
                    key = input.ReadString();
                    break;
                case 2 when field.MapValue == ProtoKind.Message:
                    Expect(wire, WireFormat.WireType.LengthDelimited, path);
                    value = Message(field.Message!, input.ReadBytes().ToByteArray(), $"{path}[{key}]", depth);
                    break;
                case 2:
                    value = Scalar(field.MapValue, wire, input, $"{path}[{key}]");
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return (key, value);
    }

    /// <summary>A nested message as JSON: the API's special forms, or an object by its table.</summary>
    private static JsonNode? Message(string name, byte[] bytes, string path, int depth) => name switch
    {
        "meta.v1.Time" => Time(bytes, path, micro: false),
        "meta.v1.MicroTime" => Time(bytes, path, micro: true),
        "meta.v1.Duration" => Duration(Fields(bytes, path).Int(1)),
        "resource.Quantity" => JsonValue.Create(Fields(bytes, path).Str(1)),
        "intstr.IntOrString" => IntOrString(Fields(bytes, path)),
        "runtime.RawExtension" or "meta.v1.FieldsV1" => RawJson(Fields(bytes, path).Raw(1), path),
        "authentication.v1.ExtraValue" or "authorization.v1.ExtraValue" =>
            new JsonArray(Fields(bytes, path).Strs(1).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        _ => Decode(Table(name), bytes, path, depth),
    };

    private static ProtoMessage Table(string name) =>
        ProtoTables.Messages.TryGetValue(name, out var table) ? table : throw new ProtoDecodeException($"no table for {name}", "");

    private static JsonNode? Time(byte[] bytes, string path, bool micro)
    {
        var fields = Fields(bytes, path);
        var seconds = fields.Int(1);
        var nanos = fields.Int(2);
        if (seconds == 0 && nanos == 0)
        {
            return null;
        }
        if (seconds < -62135596800 || seconds > 253402300799 || nanos is < 0 or > 999_999_999)
        {
            throw new ProtoDecodeException($"time out of range: {seconds}s {nanos}ns", path);
        }
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return JsonValue.Create(time.UtcDateTime.ToString(micro ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>Go's <c>time.Duration.String()</c>: "1h2m3.5s", "150ms", "0s".</summary>
    internal static JsonValue Duration(long nanos)
    {
        if (nanos == 0)
        {
            return JsonValue.Create("0s");
        }
        var sign = nanos < 0 ? "-" : "";
        var n = (ulong)(nanos < 0 ? -(nanos + 1) + 1L : nanos);
        if (n < 1_000)
        {
            return JsonValue.Create($"{sign}{n}ns");
        }
        if (n < 1_000_000)
        {
            return JsonValue.Create($"{sign}{Fraction(n, 1_000)}µs");
        }
        if (n < 1_000_000_000)
        {
            return JsonValue.Create($"{sign}{Fraction(n, 1_000_000)}ms");
        }
        var text = new StringBuilder(sign);
        var hours = n / 3_600_000_000_000;
        var minutes = n / 60_000_000_000 % 60;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }
        if (hours > 0 || minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }
        text.Append(Fraction(n % 60_000_000_000, 1_000_000_000)).Append('s');
        return JsonValue.Create(text.ToString());
    }

    private static string Fraction(ulong value, ulong unit)
    {
        var whole = value / unit;
        var rest = value % unit;
        if (rest == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return $"{whole}.{rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0')}";
    }

    private static JsonValue IntOrString(WireFields fields) =>
        fields.Int(1) == 1 ? JsonValue.Create(fields.Str(3)) : JsonValue.Create((int)fields.Int(2));

    private static JsonNode? RawJson(byte[] raw, string path)
    {
        if (raw.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(raw, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new ProtoDecodeException($"embedded raw object is not JSON: {e.Message}", path);
        }
    }

    private static JsonArray List(JsonObject obj, string name)
    {
        if (obj[name] is not JsonArray list)
        {
            list = [];
            obj[name] = list;
        }
        return list;
    }

    private static void Expect(WireFormat.WireType actual, WireFormat.WireType expected, string path)
    {
        if (actual != expected)
        {
            throw new ProtoDecodeException($"wire type {actual} where {expected} was expected", path);
        }
    }

    private static WireFields Fields(byte[] bytes, string path) => new(bytes, path);

    /// <summary>The fields of a small fixed message (Time, Quantity, IntOrString ...), by number.</summary>
    private sealed class WireFields
    {
        private readonly Dictionary<int, List<object>> _values = [];

        public WireFields(byte[] bytes, string path)
        {
            var input = new CodedInputStream(bytes);
            try
            {
                uint tag;
                while ((tag = input.ReadTag()) != 0)
                {
                    var number = WireFormat.GetTagFieldNumber(tag);
                    object value = WireFormat.GetTagWireType(tag) switch
                    {
                        WireFormat.WireType.Varint => input.ReadInt64(),
                        WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                        _ => throw new ProtoDecodeException($"unexpected wire type in field {number}", path),
                    };
                    if (!_values.TryGetValue(number, out var list))
                    {
                        list = [];
                        _values[number] = list;
                    }
                    list.Add(value);
                }
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ProtoDecodeException(e.Message, path);
            }
        }

        public long Int(int number) => _values.TryGetValue(number, out var v) && v[^1] is long l ? l : 0;

        public string Str(int number) => _values.TryGetValue(number, out var v) && v[^1] is ByteString b ? b.ToStringUtf8() : "";

        public byte[] Raw(int number) => _values.TryGetValue(number, out var v) && v[^1] is ByteString b ? b.ToByteArray() : [];

        public IEnumerable<string> Strs(int number) =>
            _values.TryGetValue(number, out var v) ? v.OfType<ByteString>().Select(b => b.ToStringUtf8()) : [];
    }
}
