namespace Sluice.Cue.Syntax;

/// <summary>A template's text with a map from offsets to line and column.</summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text)
    {
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        _lineStarts = [.. starts];
    }

    public string Text { get; }

    public SourcePosition PositionOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return new SourcePosition(line + 1, offset - _lineStarts[line] + 1);
    }
}
