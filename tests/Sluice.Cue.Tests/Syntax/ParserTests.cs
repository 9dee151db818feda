using Sluice.Cue.Syntax;

namespace Sluice.Cue.Tests.Syntax;

public class ParserTests
{
    private static CueError ParseError(string text)
    {
        CueParser.TryParse("demo", text, out var file, out var error).ShouldBeFalse();
        file.ShouldBeNull();
        return error!;
    }

    [Fact]
    public void ParseFile_Nodes_CarryLineAndColumn()
    {
        var file = Parser.ParseFile("a: 1\noutput: {\n    name: context.name\n}");

        var output = (Field)file.Root.Decls[1];
        output.Pos.ShouldBe(new SourcePosition(2, 1));
        var name = (Field)((StructLit)output.Value).Decls[0];
        name.Pos.ShouldBe(new SourcePosition(3, 5));
        var selector = (SelectorExpr)name.Value;
        selector.X.Pos.ShouldBe(new SourcePosition(3, 11));
    }

    [Fact]
    public void ParseFile_ShorthandFields_NestStructs()
    {
        var file = Parser.ParseFile("metadata: labels: app: \"x\"");

        var metadata = (Field)file.Root.Decls[0];
        var labels = (Field)((StructLit)metadata.Value).Decls.ShouldHaveSingleItem();
        var app = (Field)((StructLit)labels.Value).Decls.ShouldHaveSingleItem();
        ((StringLit)app.Value).Value.ShouldBe("x");
    }

    [Fact]
    public void ParseFile_ShorthandAcrossNewline_NestsTheNextLine()
    {
        var file = Parser.ParseFile("limits:\n    cpu: \"1\"\nother: 2");

        file.Root.Decls.Count.ShouldBe(2);
        ((Field)((StructLit)((Field)file.Root.Decls[0]).Value).Decls[0]).Label.ShouldBe("cpu");
    }

    [Fact]
    public void ParseFile_OptionalQuotedAndPatternFields_AreRecognised()
    {
        var file = Parser.ParseFile("a?: int\n\"app.oam.dev/name\": \"x\"\nlabels?: [string]: string");

        var a = (Field)file.Root.Decls[0];
        (a.Optional, a.IsIdentifier).ShouldBe((true, true));
        var quoted = (Field)file.Root.Decls[1];
        (quoted.Label, quoted.IsIdentifier).ShouldBe(("app.oam.dev/name", false));
        var labels = (Field)file.Root.Decls[2];
        ((StructLit)labels.Value).Decls.ShouldHaveSingleItem().ShouldBeOfType<PatternField>();
    }

    [Fact]
    public void ParseFile_Annotations_AttachToTheFollowingField()
    {
        var file = Parser.ParseFile("""
            parameter: {
                // +usage=The image
                // +short=i
                image: string // trailing comments are not documentation
                port: int
            }
            """);

        var fields = ((StructLit)((Field)file.Root.Decls[0]).Value).Decls.Cast<Field>().ToList();
        fields[0].Comments.ShouldBe(["+usage=The image", "+short=i"]);
        fields[1].Comments.ShouldBeEmpty();
    }

    [Fact]
    public void ParseFile_PrecedenceOfOperators_FollowsCue()
    {
        var file = Parser.ParseFile("x: *1 | 2 + 3 * 4 & int");

        var or = (BinaryExpr)((Field)file.Root.Decls[0]).Value;
        or.Op.ShouldBe(TokenKind.Pipe);
        or.X.ShouldBeOfType<UnaryExpr>().Op.ShouldBe(TokenKind.Star);
        var and = (BinaryExpr)or.Y;
        and.Op.ShouldBe(TokenKind.Amp);
        var plus = (BinaryExpr)and.X;
        plus.Op.ShouldBe(TokenKind.Plus);
        ((BinaryExpr)plus.Y).Op.ShouldBe(TokenKind.Star);
    }

    [Fact]
    public void ParseFile_Interpolation_ParsesEmbeddedExpressions()
    {
        var file = Parser.ParseFile("x: \"a-\\(b + \"c\")-d\"");

        var interpolation = (Interpolation)((Field)file.Root.Decls[0]).Value;
        interpolation.Parts.Count.ShouldBe(3);
        interpolation.Parts[0].ShouldBe("a-");
        interpolation.Parts[1].ShouldBeOfType<BinaryExpr>().Pos.ShouldBe(new SourcePosition(1, 11));
        interpolation.Parts[2].ShouldBe("-d");
    }

    [Fact]
    public void ParseFile_MultilineString_StripsTheClosingIndentation()
    {
        var file = Parser.ParseFile("x: \"\"\"\n    line one\n      line two\n    \"\"\"");

        ((StringLit)((Field)file.Root.Decls[0]).Value).Value.ShouldBe("line one\n  line two");
    }

    [Fact]
    public void ParseFile_PackageImportsLetAndComprehensions_Parse()
    {
        var file = Parser.ParseFile("""
            package demo
            import "strings"
            let x = 1
            out: {
                for k, v in parameter.m if v != "" {
                    "\(k)": v
                }
                list: [for i in [1, 2] { i }, ...int]
            }
            """);

        file.Imports.Select(i => i.Path).ShouldBe(["strings"]);
        file.Root.Decls[0].ShouldBeOfType<LetDecl>();
        var outDecls = ((StructLit)((Field)file.Root.Decls[1]).Value).Decls;
        outDecls[0].ShouldBeOfType<Comprehension>().Clauses.Count.ShouldBe(2);
        ((ListLit)((Field)outDecls[1]).Value).Tail.ShouldBeOfType<Ident>().Name.ShouldBe("int");
    }

    [Theory]
    [InlineData("a: {\n  b: 1\n", "parse error at line 3, column 1: expected '}', found end of input")]
    [InlineData("a: 1 2", "parse error at line 1, column 6: expected ',' or newline after declaration, found '2'")]
    [InlineData("a: \"x", "parse error at line 1, column 4: string literal not terminated")]
    [InlineData("a: [1, 2", "parse error at line 1, column 9: expected ']', found end of input")]
    [InlineData("a: 1\nb: @", "parse error at line 2, column 4: unexpected character '@'")]
    [InlineData("a: \"\\q\"", "parse error at line 1, column 5: unknown escape sequence '\\q'")]
    [InlineData("a: \"\\(b\"", "parse error at line 1, column 5: interpolation not terminated")]
    [InlineData("a: 99999999999999999999", "parse error at line 1, column 4: integer '99999999999999999999' is out of range")]
    [InlineData("if true x", "parse error at line 1, column 9: expected '{' after comprehension clauses, found 'x'")]
    public void ParseFile_MalformedText_ReportsLineAndColumn(string text, string message)
    {
        var error = ParseError(text);

        error.Kind.ShouldBe(CueErrorKind.Parse);
        error.Message.ShouldBe("definition \"demo\": " + message);
    }

    [Fact]
    public void ParseFile_NestingBeyondLimit_IsAParseErrorNotAStackOverflow()
    {
        var text = "a: " + new string('[', 10_000) + new string(']', 10_000);

        var error = ParseError(text);

        error.Message.ShouldContain($"nesting deeper than {Parser.MaxDepth} levels");
    }
}
