using System;
using KedaAks.Engine.Resources;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class GoSyntaxTests
    {
        [Theory]
        [InlineData("100", 100)]
        [InlineData("100.50", 100.5)]
        [InlineData("0.5", 0.5)]
        [InlineData("-1", -1)]
        [InlineData("0", 0)]
        [InlineData("1e3", 1000)]
        [InlineData("1E+2", 100)]
        [InlineData("2.5e-3", 0.0025)]
        [InlineData(" 5 ", 5)]
        [InlineData("null", 0)]
        public void JsonFloat_accepts_what_encoding_json_accepts(string text, double expected)
        {
            Assert.True(GoSyntax.TryParseJsonFloat(text, out double value, out string? error), error);
            Assert.Equal(expected, value, 10);
        }

        [Theory]
        [InlineData("abc", "invalid character 'a' looking for beginning of value")]
        [InlineData("1,000", "invalid character ',' after top-level value")]
        [InlineData("+1", "invalid character '+' looking for beginning of value")]
        [InlineData(".5", "invalid character '.' looking for beginning of value")]
        [InlineData("01", "invalid character '1' after top-level value")]
        [InlineData("1.", "unexpected end of JSON input")]
        [InlineData("1.x", "invalid character 'x' after decimal point in numeric literal")]
        [InlineData("1e", "unexpected end of JSON input")]
        [InlineData("1ex", "invalid character 'x' in exponent of numeric literal")]
        [InlineData("-", "unexpected end of JSON input")]
        [InlineData("-a", "invalid character 'a' in numeric literal")]
        [InlineData("", "unexpected end of JSON input")]
        [InlineData("10 20", "invalid character '2' after top-level value")]
        [InlineData("1e400", "json: cannot unmarshal number 1e400 into Go value of type float64")]
        [InlineData("true", "json: cannot unmarshal bool into Go value of type float64")]
        [InlineData("\"5\"", "json: cannot unmarshal string into Go value of type float64")]
        [InlineData("'5'", "invalid character '\\'' looking for beginning of value")]
        public void JsonFloat_refuses_with_gos_message(string text, string message)
        {
            Assert.False(GoSyntax.TryParseJsonFloat(text, out _, out string? error));
            Assert.Equal(message, error);
        }

        [Theory]
        [InlineData("1", true)] [InlineData("t", true)] [InlineData("T", true)] [InlineData("TRUE", true)] [InlineData("true", true)] [InlineData("True", true)]
        [InlineData("0", false)] [InlineData("f", false)] [InlineData("F", false)] [InlineData("FALSE", false)] [InlineData("false", false)] [InlineData("False", false)]
        public void ParseBool_accepts_strconv_spellings(string text, bool expected)
        {
            Assert.True(GoSyntax.TryParseBool(text, out bool value));
            Assert.Equal(expected, value);
        }

        [Theory]
        [InlineData("yes")] [InlineData("tRUE")] [InlineData("on")] [InlineData("")] [InlineData(" true")] [InlineData("2")]
        public void ParseBool_refuses_everything_else(string text) => Assert.False(GoSyntax.TryParseBool(text, out _));

        [Theory]
        [InlineData("10s", 10_000)]
        [InlineData("500ms", 500)]
        [InlineData("1h30m", 5_400_000)]
        [InlineData("1.5s", 1_500)]
        [InlineData(".5s", 500)]
        [InlineData("1.s", 1_000)]
        [InlineData("0", 0)]
        [InlineData("-5s", -5_000)]
        [InlineData("+2m", 120_000)]
        [InlineData("1500us", 1.5)]
        [InlineData("1500\u00b5s", 1.5)]
        public void ParseDuration_accepts_go_durations(string text, double milliseconds)
        {
            Assert.True(GoSyntax.TryParseDuration(text, out TimeSpan value));
            Assert.Equal(milliseconds, value.TotalMilliseconds, 6);
        }

        [Theory]
        [InlineData("10")] [InlineData("s")] [InlineData("5x")] [InlineData("")] [InlineData(".s")] [InlineData("5 s")] [InlineData("-")] [InlineData("1d")]
        public void ParseDuration_refuses_what_go_refuses(string text) => Assert.False(GoSyntax.TryParseDuration(text, out _));

        [Theory]
        [InlineData("abc", "\"abc\"")]
        [InlineData("a\"b", "\"a\\\"b\"")]
        [InlineData("tab\there", "\"tab\\there\"")]
        public void Quote_matches_percent_q(string text, string expected) => Assert.Equal(expected, GoSyntax.Quote(text));
    }
}
