using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Arm.ResourceGraph
{
    public enum KqlTokenKind
    {
        Identifier,
        String,
        Number,
        Symbol,
        End,
    }

    public sealed record KqlToken(KqlTokenKind Kind, string Text, int Position, string? Value = null);

    /// <summary>Tokens and scalar expressions of the KQL subset (see <see cref="KqlQuery"/>), compiled to functions of a row; columns are checked as Kusto does.</summary>
    public sealed class KqlParser
    {
        private static readonly string[] Symbols = { "==", "!=", "=~", "!~", "<=", ">=", "<", ">", "=", "(", ")", "[", "]", ",", ".", "|", ";" };
        private static readonly string[] Comparisons = { "==", "!=", "=~", "!~", "<", "<=", ">", ">=", "contains", "!contains", "has", "!has", "startswith", "!startswith",
            "endswith", "!endswith" };

        private readonly List<KqlToken> _tokens;
        private int _at;

        public KqlParser(string text, IReadOnlyList<string> columns)
        {
            _tokens = Tokenize(text);
            Columns = columns.ToList();
        }

        public IReadOnlyList<string> Columns { get; private set; }

        public bool AtEnd => Peek().Kind == KqlTokenKind.End;

        public void SetColumns(IReadOnlyList<string> columns) => Columns = columns;

        public KqlToken Peek() => _tokens[_at];

        public KqlToken PeekAt(int offset) => _tokens[Math.Min(_at + offset, _tokens.Count - 1)];

        public KqlToken Next() => _tokens[_at < _tokens.Count - 1 ? _at++ : _at];

        public bool Accept(string symbol)
        {
            if (Peek().Kind == KqlTokenKind.Symbol && Peek().Text == symbol)
            {
                _at++;
                return true;
            }

            return false;
        }

        public void Expect(string symbol)
        {
            if (!Accept(symbol))
            {
                throw Failure(Peek());
            }
        }

        public void ExpectWord(string word)
        {
            if (!Next().Text.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                throw Failure(_tokens[_at - 1]);
            }
        }

        public static KqlException Failure(KqlToken token) =>
            new("ParserFailure", "ParserFailure", token.Kind == KqlTokenKind.End ? "<EOF>" : token.Text, token.Position);

        public void RequireColumn(KqlToken name)
        {
            if (!Columns.Contains(name.Text, StringComparer.Ordinal))
            {
                throw new KqlException("SemanticError", $"Failed to resolve scalar expression named '{name.Text}'", name.Text, name.Position);
            }
        }

        /// <summary>or / and / not() / comparisons, lowest precedence first.</summary>
        public Func<JsonObject, JsonNode?> Expression()
        {
            Func<JsonObject, JsonNode?> left = And();
            while (Peek().Text.Equals("or", StringComparison.OrdinalIgnoreCase))
            {
                Next();
                Func<JsonObject, JsonNode?> l = left, r = And();
                left = row => KqlValues.Truthy(l(row)) || KqlValues.Truthy(r(row));
            }

            return left;
        }

        private Func<JsonObject, JsonNode?> And()
        {
            Func<JsonObject, JsonNode?> left = Comparison();
            while (Peek().Text.Equals("and", StringComparison.OrdinalIgnoreCase))
            {
                Next();
                Func<JsonObject, JsonNode?> l = left, r = Comparison();
                left = row => KqlValues.Truthy(l(row)) && KqlValues.Truthy(r(row));
            }

            return left;
        }

        private Func<JsonObject, JsonNode?> Comparison()
        {
            Func<JsonObject, JsonNode?> left = Primary();
            string op = Peek().Text.ToLowerInvariant();
            if (op is "in" or "in~" or "!in" or "!in~")
            {
                Next();
                Expect("(");
                var items = new List<Func<JsonObject, JsonNode?>> { Primary() };
                while (Accept(","))
                {
                    items.Add(Primary());
                }

                Expect(")");
                bool ignoreCase = op.EndsWith('~'), negate = op.StartsWith('!');
                return row =>
                {
                    string value = KqlValues.Text(left(row));
                    bool found = items.Any(i => string.Equals(KqlValues.Text(i(row)), value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
                    return found != negate;
                };
            }

            if (!Comparisons.Contains(op))
            {
                return left;
            }

            Next();
            Func<JsonObject, JsonNode?> right = Primary();
            return row => KqlValues.Apply(op, left(row), right(row));
        }

        private Func<JsonObject, JsonNode?> Primary()
        {
            KqlToken token = Next();
            switch (token.Kind)
            {
                case KqlTokenKind.String:
                    JsonNode text = JsonValue.Create(token.Value!)!;
                    return _ => text;
                case KqlTokenKind.Number:
                    JsonNode number = JsonValue.Create(double.Parse(token.Text, CultureInfo.InvariantCulture));
                    return _ => number;
                case KqlTokenKind.Symbol when token.Text == "(":
                    Func<JsonObject, JsonNode?> inner = Expression();
                    Expect(")");
                    return inner;
                case KqlTokenKind.Identifier when token.Text is "true" or "false":
                    JsonNode flag = JsonValue.Create(token.Text == "true");
                    return _ => flag;
                case KqlTokenKind.Identifier when Peek().Text == "(":
                    return Call(token);
                case KqlTokenKind.Identifier:
                    return Path(token);
                default:
                    throw Failure(token);
            }
        }

        private Func<JsonObject, JsonNode?> Call(KqlToken name)
        {
            Expect("(");
            var args = new List<Func<JsonObject, JsonNode?>>();
            if (!Accept(")"))
            {
                do
                {
                    args.Add(Expression());
                }
                while (Accept(","));
                Expect(")");
            }

            string function = name.Text.ToLowerInvariant();
            if (!KqlValues.Functions.Contains(function))
            {
                throw new KqlException("UnknownFunction", $"Unknown function: '{name.Text}'.", name.Text, name.Position);
            }

            if (args.Count != 1)
            {
                throw new KqlException("SemanticError", $"Function '{name.Text}': expected 1 argument, got {args.Count}.", name.Text, name.Position);
            }

            Func<JsonObject, JsonNode?> arg = args[0];
            return row => KqlValues.Call(function, arg(row));
        }

        private Func<JsonObject, JsonNode?> Path(KqlToken root)
        {
            RequireColumn(root);
            var steps = new List<string>();
            while (true)
            {
                if (Accept("."))
                {
                    KqlToken member = Next();
                    if (member.Kind != KqlTokenKind.Identifier)
                    {
                        throw Failure(member);
                    }

                    steps.Add(member.Text);
                }
                else if (Accept("["))
                {
                    KqlToken member = Next();
                    if (member.Kind != KqlTokenKind.String)
                    {
                        throw new KqlException("UnsupportedInSandbox", "The sandbox reads members by name only (['name']), not by index.", member.Text, member.Position);
                    }

                    steps.Add(member.Value!);
                    Expect("]");
                }
                else
                {
                    break;
                }
            }

            string column = root.Text;
            return row => steps.Aggregate(row[column], (node, step) => node is JsonObject obj ? obj[step] : null);
        }

        private static List<KqlToken> Tokenize(string text)
        {
            var tokens = new List<KqlToken>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c is '\'' or '"' || (c == '@' && i + 1 < text.Length && text[i + 1] is '\'' or '"'))
                {
                    tokens.Add(ReadString(text, ref i));
                }
                else if (char.IsDigit(c))
                {
                    int start = i;
                    while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                    {
                        i++;
                    }

                    tokens.Add(new KqlToken(KqlTokenKind.Number, text[start..i], start));
                }
                else if (char.IsLetter(c) || c == '_' || (c == '!' && i + 1 < text.Length && char.IsLetter(text[i + 1])))
                {
                    int start = i++;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || (text[i] == '~' && text[start..i].EndsWith("in", StringComparison.Ordinal))))
                    {
                        i++;
                    }

                    tokens.Add(new KqlToken(KqlTokenKind.Identifier, text[start..i], start));
                }
                else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
                {
                    tokens.Add(new KqlToken(KqlTokenKind.Symbol, symbol, i));
                    i += symbol.Length;
                }
                else
                {
                    throw new KqlException("ParserFailure", "ParserFailure", c.ToString(), i);
                }
            }

            tokens.Add(new KqlToken(KqlTokenKind.End, string.Empty, text.Length));
            return tokens;
        }

        private static KqlToken ReadString(string text, ref int i)
        {
            int start = i;
            bool verbatim = text[i] == '@';
            if (verbatim)
            {
                i++;
            }

            char quote = text[i++];
            var value = new StringBuilder();
            while (i < text.Length && text[i] != quote)
            {
                if (!verbatim && text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                }

                value.Append(text[i++]);
            }

            if (i >= text.Length)
            {
                throw new KqlException("ParserFailure", "ParserFailure", text[start..], start);
            }

            i++;
            return new KqlToken(KqlTokenKind.String, text[start..i], start, value.ToString());
        }
    }
}
