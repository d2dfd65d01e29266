using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// Search-KedaAksCluster: every AKS managed cluster of a scope through one Azure Resource Graph query (POST
    /// /providers/Microsoft.ResourceGraph/resources), its $skipToken pages followed. The per-user quota is honoured before it
    /// runs out (x-ms-user-quota-remaining 0: the next page waits for x-ms-user-quota-resets-after); a 429 is retried by the ARM
    /// client's back-off, which reads the same header. Rows keep the ARM resource shape (id, name, location, sku, properties),
    /// so they map through <see cref="ArmModels.ToCluster"/> like a GET of the cluster.
    /// </summary>
    internal sealed class ClusterSearch
    {
        public const string ClusterType = "microsoft.containerservice/managedclusters";

        /// <summary>Resource Graph's largest page ($top 1..1000).</summary>
        public const int MaxPage = 1000;

        /// <summary>Subscriptions per query, as azure-cli's 'az graph query' batches them.</summary>
        public const int SubscriptionsPerQuery = 1000;

        private const string Activity = "Searching Azure Resource Graph for AKS clusters";

        private readonly EngineOptions _options;

        public ClusterSearch(EngineOptions options) => _options = options;

        /// <summary>The query: managed clusters, the caller's where-clause, the columns the cluster model reads, in a stable order.</summary>
        public static string Query(string? filter) =>
            "resources\n"
            + $"| where type =~ '{ClusterType}'\n"
            + (filter is null ? string.Empty : $"| where {filter.Trim()}\n")
            + "| project id, name, type, location, resourceGroup, subscriptionId, sku, properties\n"
            + "| order by id asc";

        /// <summary>
        /// A where-clause is one KQL predicate: not empty, and no '|' or ';' outside a string literal (either would end the clause and
        /// start another operator or statement); string literals must be closed.
        /// </summary>
        public static void ValidateFilter(string? filter)
        {
            if (filter is null)
            {
                return;
            }

            string? problem = string.IsNullOrWhiteSpace(filter) ? "is empty" : null;
            char quote = '\0';
            for (int i = 0; problem is null && i < filter.Length; i++)
            {
                char c = filter[i];
                if (quote != '\0')
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c is '|' or ';')
                {
                    problem = $"has '{c}' at position {i + 1}, which would end the where-clause and start another {(c == '|' ? "operator" : "statement")}";
                }
            }

            if (problem is null && quote != '\0')
            {
                problem = $"leaves a {(quote == '\'' ? "single" : "double")}-quoted string open";
            }

            if (problem is not null)
            {
                throw new KedaAksException("InvalidFilter", KedaErrorCategory.InvalidArgument, $"The filter {problem}.", filter,
                    "Pass one KQL predicate over the cluster's columns, e.g. -Filter \"location == 'westeurope'\" or "
                    + "-Filter \"tostring(properties.kubernetesVersion) startswith '1.33'\"; combine conditions with 'and' / 'or', not '|'.");
            }
        }

        public async Task<IReadOnlyList<AksCluster>> SearchAsync(ArmClient arm, ClusterSearchRequest request)
        {
            ValidateFilter(request.Filter);
            foreach (string group in request.ManagementGroups ?? Array.Empty<string>())
            {
                // Azure's rule for a management group id: 1-90 letters, digits, '-', '_', '(', ')' and '.', not ending in '.'.
                if (!Regex.IsMatch(group, @"^[A-Za-z0-9_().-]{1,90}$") || group.EndsWith('.'))
                {
                    string shown = AzureSettingsRules.Shown(group);
                    throw new KedaAksException("InvalidManagementGroup", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a management group id.", shown,
                        "Pass the management group's id (its name, e.g. contoso-platform: 1-90 letters, digits, '-', '_', '(', ')' and '.'), not its display name.");
                }
            }

            IReadOnlyList<string>? groups = request.ManagementGroups is { Count: > 0 } named ? named.Distinct(StringComparer.OrdinalIgnoreCase).ToList() : null;
            IReadOnlyList<string>? subscriptions = null;
            if (groups is null)
            {
                subscriptions = request.SubscriptionIds is { Count: > 0 } given ? Subscriptions(given) : await VisibleSubscriptionsAsync(arm).ConfigureAwait(false);
                if (subscriptions.Count == 0)
                {
                    arm.Call.Host.WriteWarning("The signed-in identity sees no Azure subscription, so there is no cluster to find.");
                    return Array.Empty<AksCluster>();
                }
            }

            string query = Query(request.Filter);
            arm.Call.Host.WriteVerbose($"Resource Graph query over {(groups is null ? $"{subscriptions!.Count} subscription(s)" : $"management group(s) {string.Join(", ", groups)}")}:"
                + $" {query.Replace("\n", " ", StringComparison.Ordinal)}");
            var clusters = new List<AksCluster>();
            try
            {
                IEnumerable<IReadOnlyList<string>?> batches = groups is null
                    ? subscriptions!.Chunk(SubscriptionsPerQuery).Select(b => (IReadOnlyList<string>?)b) : new IReadOnlyList<string>?[] { null };
                foreach (IReadOnlyList<string>? batch in batches)
                {
                    await PagesAsync(arm, query, batch, groups, request.First, clusters).ConfigureAwait(false);
                    if (request.First is { } first && clusters.Count >= first)
                    {
                        break;
                    }
                }
            }
            finally
            {
                arm.Call.Host.WriteProgress(Activity, string.Empty, completed: true);
            }

            return clusters;
        }

        private async Task PagesAsync(ArmClient arm, string query, IReadOnlyList<string>? subscriptions, IReadOnlyList<string>? groups, int? first, List<AksCluster> clusters)
        {
            IKedaAksHost host = arm.Call.Host;
            string? skipToken = null;
            int page = 0;
            do
            {
                int top = Math.Min(MaxPage, first is { } cap ? cap - clusters.Count : MaxPage);
                var options = new JsonObject { ["resultFormat"] = "objectArray", ["$top"] = top };
                if (skipToken is not null)
                {
                    options["$skipToken"] = skipToken;
                }

                var body = new JsonObject { ["query"] = query, ["options"] = options };
                if (subscriptions is not null)
                {
                    body["subscriptions"] = new JsonArray(subscriptions.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
                }

                if (groups is not null)
                {
                    body["managementGroups"] = new JsonArray(groups.Select(g => (JsonNode)JsonValue.Create(g)!).ToArray());
                }

                ArmResponse response = await arm.SendAsync(RequestMethod.Post, "/providers/Microsoft.ResourceGraph/resources", ArmApi.ResourceGraph, body).ConfigureAwait(false);
                if (!response.IsSuccess || response.Body is null)
                {
                    throw QueryFailed(response);
                }

                page++;
                JsonArray rows = response.Body["data"] as JsonArray ?? throw ArmErrors.Malformed("a Resource Graph answer without a data array");
                foreach (JsonNode? row in rows)
                {
                    if (row is not null && (first is null || clusters.Count < first))
                    {
                        clusters.Add(ArmModels.ToCluster(row));
                    }
                }

                long total = response.Body["totalRecords"] is JsonValue records && records.TryGetValue(out long count) ? count : clusters.Count;
                host.WriteProgress(Activity, $"page {page}: {clusters.Count} of {total} cluster(s)", total > 0 ? (int)Math.Min(100, clusters.Count * 100 / total) : -1);
                string quota = response.Header(LoggedDelay.QuotaRemainingHeader) is { } left
                    ? $"; quota left {left}, resets after {response.Header(LoggedDelay.QuotaResetsAfterHeader)}" : string.Empty;
                host.WriteVerbose($"Resource Graph page {page}: {rows.Count} row(s), {clusters.Count} of {total} so far{quota}.");
                skipToken = ArmModels.Str(response.Body["$skipToken"]);
                if (skipToken is not null && (first is null || clusters.Count < first))
                {
                    await HonourQuotaAsync(arm, response).ConfigureAwait(false);
                }
            }
            while (skipToken is not null && (first is null || clusters.Count < first));
        }

        /// <summary>With the quota used up, the next query would get 429: wait until it resets.</summary>
        private async Task HonourQuotaAsync(ArmClient arm, ArmResponse response)
        {
            if (!int.TryParse(response.Header(LoggedDelay.QuotaRemainingHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out int remaining) || remaining > 0
                || LoggedDelay.QuotaReset(response.Header(LoggedDelay.QuotaResetsAfterHeader)) is not { } reset || reset <= TimeSpan.Zero)
            {
                return;
            }

            arm.Call.Host.WriteVerbose($"Resource Graph quota used up; waiting {reset.TotalSeconds:0.#} s until it resets before the next page.");
            arm.Call.Host.WriteProgress(Activity, $"quota used up: waiting {reset.TotalSeconds:0} s for it to reset");
            await _options.Delay(reset, arm.Call.Cancellation).ConfigureAwait(false);
        }

        /// <summary>Every subscription the caller can see (GET /subscriptions, nextLink followed), disabled ones left out.</summary>
        private static async Task<IReadOnlyList<string>> VisibleSubscriptionsAsync(ArmClient arm)
        {
            List<JsonNode> listed = await arm.ListAsync("/subscriptions", ArmApi.Subscriptions).ConfigureAwait(false);
            List<string> ids = listed.Where(s => !string.Equals(ArmModels.Str(s["state"]), "Disabled", StringComparison.OrdinalIgnoreCase))
                .Select(s => ArmModels.Str(s["subscriptionId"])).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            arm.Call.Host.WriteVerbose($"No -SubscriptionId: searching the {ids.Count} subscription(s) the signed-in identity can see.");
            return ids;
        }

        private static IReadOnlyList<string> Subscriptions(IReadOnlyList<string> given)
        {
            foreach (string id in given)
            {
                if (!Guid.TryParse(id, out _))
                {
                    throw new KedaAksException("InvalidSubscriptionId", KedaErrorCategory.InvalidArgument, $"'{id}' is not a subscription id (a GUID).", id,
                        "Pass subscription ids, e.g. from (Get-AzSubscription).Id or az account list --query [].id.");
                }
            }

            return given.Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Resource Graph's error: its details say what was wrong (the top-level message only asks for a correlation id).</summary>
        private static KedaAksException QueryFailed(ArmResponse response)
        {
            KedaAksException error = ArmErrors.ToException(response, "Microsoft.ResourceGraph/resources", "The Resource Graph query");
            if (response.Body?["error"]?["details"] is not JsonArray details || details.Count == 0)
            {
                return error;
            }

            var parts = details.OfType<JsonObject>().Select(d => ArmModels.Str(d["message"]) is { } message
                ? message + (ArmModels.Str(d["token"]) is { } token ? $" (at '{token}')" : string.Empty) : null).OfType<string>().Distinct().ToList();
            string code = details.OfType<JsonObject>().Select(d => ArmModels.Str(d["code"])).FirstOrDefault(c => c is not null) ?? error.ErrorId;
            string fix = response.Status == 429
                ? "Resource Graph throttled the signed-in identity (about 15 queries per 5 seconds); KedaAks waited and retried. Run again later, or run fewer searches at once."
                : error.RecommendedAction ?? string.Empty;
            return new KedaAksException(code, error.Category, $"The Resource Graph query failed: {code} ({response.Status}): {string.Join(" ", parts)}", error.TargetObject, fix);
        }
    }
}
