using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Arm.ResourceGraph
{
    /// <summary>A query the sandbox cannot run: Resource Graph's error detail (code, message, and where it is for parser failures).</summary>
    public sealed class KqlException : Exception
    {
        public KqlException(string code, string message, string? token = null, int position = -1)
            : base(message)
        {
            (Code, Token, Position) = (code, token, position);
        }

        public string Code { get; }

        public string? Token { get; }

        public int Position { get; }
    }

    /// <summary>
    /// The subset of Resource Graph's KQL the sandbox evaluates honestly, over the <c>resources</c> table: <c>where</c> (and, or, not(), ==, !=, =~, !~,
    /// &lt; &lt;= &gt; &gt;=, contains, has, startswith, endswith and their ! forms, in, in~, !in; tostring, tobool, toboolean, tolower, toupper, toint,
    /// tolong, isnull, isnotnull, isempty, isnotempty; dotted and ['..'] member access), <c>project</c>, <c>extend</c>, <c>order by</c>/<c>sort by</c>
    /// (KQL's default: desc) and <c>take</c>/<c>limit</c>. Anything else is refused with a <see cref="KqlException"/>, never ignored.
    /// </summary>
    public sealed class KqlQuery
    {
        /// <summary>The columns of Resource Graph's resources table.</summary>
        public static readonly IReadOnlyList<string> ResourceColumns = new[]
        {
            "id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy", "sku", "plan", "properties", "tags", "identity",
            "zones", "extendedLocation",
        };

        private static readonly string[] Supported = { "where", "project", "extend", "order", "sort", "take", "limit" };
        private readonly List<Func<IEnumerable<JsonObject>, IEnumerable<JsonObject>>> _stages = new();
        private readonly KqlParser _parser;

        private KqlQuery(string text) => _parser = new KqlParser(text, ResourceColumns);

        /// <summary>Parses a query; a leading operator (no table) reads <c>resources</c>, as Resource Graph does.</summary>
        public static KqlQuery Parse(string text)
        {
            var query = new KqlQuery(text);
            query.ParsePipeline();
            return query;
        }

        public List<JsonObject> Run(IEnumerable<JsonObject> rows) => _stages.Aggregate(rows, (current, stage) => stage(current)).ToList();

        private void ParsePipeline()
        {
            KqlParser p = _parser;
            KqlToken first = p.Peek();
            if (first.Kind == KqlTokenKind.Identifier && !Supported.Contains(first.Text.ToLowerInvariant()) && p.PeekAt(1).Text != "(")
            {
                p.Next();
                if (!first.Text.Equals("resources", StringComparison.OrdinalIgnoreCase))
                {
                    throw new KqlException("UnsupportedInSandbox", $"The sandbox's Resource Graph has only the resources table, not '{first.Text}'.", first.Text, first.Position);
                }

                if (!p.AtEnd)
                {
                    p.Expect("|");
                }
            }

            while (!p.AtEnd)
            {
                KqlToken op = p.Next();
                switch (op.Text.ToLowerInvariant())
                {
                    case "where":
                        Func<JsonObject, JsonNode?> predicate = p.Expression();
                        _stages.Add(rows => rows.Where(r => KqlValues.Truthy(predicate(r))));
                        break;
                    case "project":
                        ParseColumns(replace: true);
                        break;
                    case "extend":
                        ParseColumns(replace: false);
                        break;
                    case "order" or "sort":
                        p.ExpectWord("by");
                        ParseOrder();
                        break;
                    case "take" or "limit":
                        KqlToken count = p.Next();
                        if (count.Kind != KqlTokenKind.Number)
                        {
                            throw KqlParser.Failure(count);
                        }

                        int n = int.Parse(count.Text, CultureInfo.InvariantCulture);
                        _stages.Add(rows => rows.Take(n));
                        break;
                    default:
                        throw new KqlException("UnsupportedInSandbox",
                            $"The sandbox's Resource Graph evaluates where, project, extend, order by, take and limit only; '{op.Text}' is not among them.", op.Text, op.Position);
                }

                if (!p.AtEnd)
                {
                    p.Expect("|");
                }
            }
        }

        private void ParseColumns(bool replace)
        {
            KqlParser p = _parser;
            var columns = new List<(string Name, Func<JsonObject, JsonNode?> Value)>();
            do
            {
                KqlToken name = p.Next();
                if (name.Kind != KqlTokenKind.Identifier)
                {
                    throw KqlParser.Failure(name);
                }

                if (p.Peek().Text == "=")
                {
                    p.Next();
                    columns.Add((name.Text, p.Expression()));
                }
                else if (!replace)
                {
                    throw KqlParser.Failure(p.Peek());
                }
                else
                {
                    p.RequireColumn(name);
                    string column = name.Text;
                    columns.Add((column, row => row[column]));
                }
            }
            while (p.Accept(","));

            var result = columns.Select(c => c.Name).ToList();
            p.SetColumns(replace ? result : p.Columns.Concat(result).Distinct(StringComparer.Ordinal).ToList());
            _stages.Add(rows => rows.Select(row =>
            {
                JsonObject shaped = replace ? new JsonObject() : (JsonObject)row.DeepClone();
                foreach ((string name, Func<JsonObject, JsonNode?> value) in columns)
                {
                    shaped[name] = value(row)?.DeepClone();
                }

                return shaped;
            }));
        }

        private void ParseOrder()
        {
            KqlParser p = _parser;
            var keys = new List<(Func<JsonObject, JsonNode?> Key, bool Descending)>();
            do
            {
                Func<JsonObject, JsonNode?> key = p.Expression();
                bool descending = true;
                if (p.Peek().Text.Equals("asc", StringComparison.OrdinalIgnoreCase) || p.Peek().Text.Equals("desc", StringComparison.OrdinalIgnoreCase))
                {
                    descending = p.Next().Text.Equals("desc", StringComparison.OrdinalIgnoreCase);
                }

                keys.Add((key, descending));
            }
            while (p.Accept(","));

            _stages.Add(rows =>
            {
                List<JsonObject> list = rows.ToList();
                list.Sort((a, b) =>
                {
                    foreach ((Func<JsonObject, JsonNode?> key, bool descending) in keys)
                    {
                        int order = KqlValues.Compare(key(a), key(b));
                        if (order != 0)
                        {
                            return descending ? -order : order;
                        }
                    }

                    return 0;
                });
                return list;
            });
        }
    }
}
