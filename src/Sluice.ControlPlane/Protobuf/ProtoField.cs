namespace Sluice.ControlPlane.Protobuf;

/// <summary>How a field is encoded on the wire and shown in JSON.</summary>
internal enum ProtoKind
{
    /// <summary>A field Sluice does not decode (its type lives in an API group the tables do not cover); skipped.</summary>
    Skip,
    String,
    Int32,
    Int64,
    Bool,
    Double,
    /// <summary>Bytes, shown in JSON as base64 (Go's []byte).</summary>
    Bytes,
    /// <summary>An embedded message, named by <see cref="ProtoField.Message"/>.</summary>
    Message,
    /// <summary>A map (repeated key/value entries): string keys, values of <see cref="ProtoField.MapValue"/> or a message.</summary>
    Map,
}

/// <summary>What Go would do with a field's value in JSON.</summary>
[Flags]
internal enum ProtoFieldFlags
{
    None = 0,
    /// <summary>A list (repeated field; packed or not for numbers).</summary>
    Repeated = 1,
    /// <summary>A zero scalar is shown: the Go field is a pointer (set means set) or has no <c>omitempty</c>.</summary>
    KeepZero = 2,
    /// <summary>The message's fields go into the parent object (<c>json:",inline"</c>).</summary>
    Inline = 4,
    /// <summary>An empty message is left out (<c>omitzero</c>), otherwise shown as <c>{}</c> as Go shows a struct.</summary>
    OmitZero = 8,
}

/// <summary>One field of a Kubernetes API message: its number (from the API's struct tags), JSON name, kind and flags.</summary>
internal sealed record ProtoField(int Number, string Json, ProtoKind Kind, ProtoFieldFlags Flags = ProtoFieldFlags.None, string? Message = null, ProtoKind MapValue = ProtoKind.Skip)
{
    public bool Has(ProtoFieldFlags flag) => (Flags & flag) != 0;
}

/// <summary>A message's field table, keyed by field number.</summary>
internal sealed class ProtoMessage(string name, IReadOnlyList<ProtoField> fields)
{
    private readonly Dictionary<int, ProtoField> _byNumber = fields.ToDictionary(f => f.Number);

    public string Name { get; } = name;

    public IReadOnlyList<ProtoField> Fields { get; } = fields;

    public ProtoField? Field(int number) => _byNumber.GetValueOrDefault(number);
}
