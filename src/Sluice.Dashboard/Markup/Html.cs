using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Sluice.Dashboard.Markup;

/// <summary>
/// A piece of HTML that is safe to write as it is. Built with <see cref="Of"/> from an interpolated string whose holes
/// are encoded (strings and numbers) unless they are <see cref="Html"/> themselves, so nothing read from the cluster
/// reaches the page unencoded. Attribute values must be written in double quotes (the encoder encodes them).
/// </summary>
public readonly struct Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly string? value;

    private Html(string value) => this.value = value;

    public static Html Empty => new(string.Empty);

    public static Html Of(Builder builder) => builder.Build();

    /// <summary>Text, encoded.</summary>
    public static Html Text(string? text) => new(Encoder.Encode(text ?? string.Empty));

    /// <summary>Markup written by this program (never anything read from the cluster or a request).</summary>
    public static Html Trusted(string markup) => new(markup);

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.ToString())));

    public static Html Join(string separator, IEnumerable<Html> parts) => new(string.Join(separator, parts.Select(p => p.ToString())));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public override string ToString() => value ?? string.Empty;

    [InterpolatedStringHandler]
    public ref struct Builder
    {
        private readonly StringBuilder text;

        public Builder(int literalLength, int formattedCount)
        {
            text = new StringBuilder(literalLength + (formattedCount * 16));
        }

        public readonly void AppendLiteral(string literal) => text.Append(literal);

        public readonly void AppendFormatted(Html html) => text.Append(html.ToString());

        public readonly void AppendFormatted(string? value) => text.Append(Encoder.Encode(value ?? string.Empty));

        public readonly void AppendFormatted(int value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(long value) => text.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(double value, string format) => text.Append(value.ToString(format, CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(IEnumerable<Html> parts)
        {
            foreach (var part in parts)
            {
                text.Append(part.ToString());
            }
        }

        public readonly Html Build() => Trusted(text.ToString());
    }
}
