using Google.Protobuf;

namespace Sluice.ControlPlane.Tests.Protobuf;

/// <summary>Builds Kubernetes protobuf bodies by hand (field by field) for tests.</summary>
internal static class ProtoWriter
{
    public static byte[] Message(params (int Number, object Value)[] fields)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var (number, value) in fields)
        {
            switch (value)
            {
                case string s:
                    output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                    output.WriteString(s);
                    break;
                case byte[] bytes:
                    output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFrom(bytes));
                    break;
                case int i:
                    output.WriteTag(number, WireFormat.WireType.Varint);
                    output.WriteInt32(i);
                    break;
                case long l:
                    output.WriteTag(number, WireFormat.WireType.Varint);
                    output.WriteInt64(l);
                    break;
                case bool b:
                    output.WriteTag(number, WireFormat.WireType.Varint);
                    output.WriteBool(b);
                    break;
                default:
                    throw new ArgumentException($"cannot write {value.GetType()}");
            }
        }
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>The <c>k8s\0</c> envelope around an object's bytes.</summary>
    public static byte[] Envelope(string apiVersion, string kind, byte[] raw) =>
        [(byte)'k', (byte)'8', (byte)'s', 0, .. Message((1, Message((1, apiVersion), (2, kind))), (2, raw))];

    /// <summary>A ConfigMap { metadata { name }, data { key: value } } as kubectl would send it.</summary>
    public static byte[] ConfigMap(string name, string key, string value) =>
        Message((1, Message((1, name))), (2, Message((1, key), (2, value))));
}
