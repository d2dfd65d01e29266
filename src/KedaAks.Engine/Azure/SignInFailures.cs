using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace KedaAks.Engine.Azure
{
    /// <summary>Why one token source gave no token, found in the exception chain (the SDK's wrappers repeat and bury it).</summary>
    internal enum SignInProblem
    {
        /// <summary>The source is not set up in this process (no variables, no az, no Az context).</summary>
        NotConfigured,

        /// <summary>Entra answered and refused the credential (an AADSTS code).</summary>
        Rejected,

        /// <summary>The authority could not be reached: DNS, refused, timed out.</summary>
        Unreachable,

        /// <summary>TLS failed: the endpoint's certificate is not trusted here.</summary>
        Untrusted,

        Other,
    }

    /// <summary>One token source's failure: the problem, its root cause said once, and what the text reveals.</summary>
    internal sealed record SignInFailure(TokenSourceCandidate Source, SignInProblem Problem, string Cause, string? Aadsts, string? Host);

    internal static class SignInFailures
    {
        private static readonly Regex AadstsLine = new(@"AADSTS(\d{5,8})\b[^\r\n]*", RegexOptions.CultureInvariant);
        private static readonly Regex HostPort = new(@"\(([A-Za-z0-9.\-\[\]:]+):(\d{1,5})\)", RegexOptions.CultureInvariant);

        /// <summary>What common AADSTS codes mean for someone signing in as an application.</summary>
        private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
        {
            ["7000215"] = "the client secret does not match one of the app's: pass the secret's Value (shown once when it was created), not its Secret ID",
            ["7000222"] = "the client secret has expired: create a new one for the app registration and use its value",
            ["700016"] = "no application with this client id exists in the tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID (or -TenantId)",
            ["90002"] = "the tenant does not exist: check AZURE_TENANT_ID or -TenantId",
            ["900023"] = "the tenant id is neither a GUID nor a domain of a tenant: check AZURE_TENANT_ID or -TenantId",
            ["700027"] = "the client certificate's signature does not match one registered on the app: upload the certificate or use the right one",
            ["700024"] = "the client assertion (federated token) has expired: get a fresh token file, or sign in again",
            ["70021"] = "no federated credential of the app matches the presented token's issuer, subject and audience",
            ["7000112"] = "the application is disabled in the tenant",
            ["53003"] = "a Conditional Access policy blocked the sign-in",
        };

        public static SignInFailure Classify(TokenSourceCandidate source, Exception exception)
        {
            List<Exception> chain = Flatten(exception).ToList();
            string? host = chain.OfType<HttpRequestException>().Select(e => HostPort.Match(e.Message)).Where(m => m.Success).Select(m => m.Groups[1].Value).FirstOrDefault();
            if (chain.OfType<AuthenticationException>().FirstOrDefault() is { } tls)
            {
                return new(source, SignInProblem.Untrusted, $"the TLS certificate of {host ?? "the sign-in endpoint"} is not trusted ({FirstLine(tls.Message)})", null, host);
            }

            if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
            {
                string what = socket.SocketErrorCode switch
                {
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"the host name {host ?? "of the sign-in endpoint"} does not resolve",
                    SocketError.ConnectionRefused => $"{host ?? "the sign-in endpoint"} refused the connection",
                    SocketError.TimedOut => $"{host ?? "the sign-in endpoint"} did not answer in time",
                    _ => $"{host ?? "the sign-in endpoint"} could not be reached ({FirstLine(socket.Message)})",
                };
                return new(source, SignInProblem.Unreachable, what, null, host);
            }

            if (chain.Select(e => AadstsLine.Match(e.Message)).FirstOrDefault(m => m.Success) is { } aadsts)
            {
                string code = aadsts.Groups[1].Value;
                string line = aadsts.Value.Trim();
                int cut = line.IndexOf(". ", StringComparison.Ordinal);
                string said = cut > 0 ? line.Substring(0, cut + 1) : line;
                return new(source, SignInProblem.Rejected,
                    Meanings.TryGetValue(code, out string? meaning) ? $"Entra refused it, {said} That means {meaning}." : $"Entra refused it: {said}", code, host);
            }

            if (chain.OfType<HttpRequestException>().FirstOrDefault() is { } http)
            {
                return new(source, SignInProblem.Unreachable, $"{host ?? "the sign-in endpoint"} could not be reached ({WithoutHostPort(FirstLine(http.Message))})", null, host);
            }

            bool unavailable = chain.Any(e => e is global::Azure.Identity.CredentialUnavailableException) || exception is KedaAksException { ErrorId: "TokenSourceNotConfigured" };
            return new(source, unavailable ? SignInProblem.NotConfigured : SignInProblem.Other, FirstLine(Innermost(chain).Message), null, host);
        }

        /// <summary>The error for a sign-in where no source gave a token: the most telling failure picks the ErrorId and the fix.</summary>
        public static KedaAksException ToException(IReadOnlyList<SignInFailure> failures, string what, TokenSource asked, string errorId, string fix)
        {
            string tried = failures.Count == 0 ? "no token source is configured in this process"
                : "tried " + string.Join("; ", failures.Select(f => $"{f.Source.Description}: {f.Cause}"));
            string message = $"Could not get an Entra token for {what} ({asked}): {tried}.";
            SignInFailure? worst = failures.FirstOrDefault(f => f.Problem == SignInProblem.Rejected)
                ?? failures.FirstOrDefault(f => f.Problem == SignInProblem.Untrusted)
                ?? failures.FirstOrDefault(f => f.Problem == SignInProblem.Unreachable)
                ?? failures.FirstOrDefault(f => f.Problem == SignInProblem.Other);
            return worst?.Problem switch
            {
                SignInProblem.Rejected => new KedaAksException(errorId, KedaErrorCategory.AuthenticationError, message, worst.Aadsts is null ? asked.ToString() : "AADSTS" + worst.Aadsts,
                    $"Fix the credential of {worst.Source.Description} as Entra's code says, then run again."),
                SignInProblem.Untrusted => new KedaAksException("AzureSignInCertificateUntrusted", KedaErrorCategory.SecurityError, message, worst.Host,
                    $"Trust the CA that signed {worst.Host ?? "the endpoint"}'s certificate: add it to the system store, or set SSL_CERT_FILE to a bundle that holds it."),
                SignInProblem.Unreachable => new KedaAksException("AzureSignInUnreachable", KedaErrorCategory.ConnectionError, message, worst.Host,
                    $"Check that {worst.Host ?? "the authority"} resolves and is reachable from here (DNS, proxy, firewall); for another cloud use Connect-KedaAzure -Environment or -AuthorityHost."),
                SignInProblem.Other => new KedaAksException(errorId, KedaErrorCategory.AuthenticationError, message, asked.ToString(), fix),
                _ => new KedaAksException("AzureCredentialNotFound", KedaErrorCategory.AuthenticationError, message, asked.ToString(), fix),
            };
        }

        private static IEnumerable<Exception> Flatten(Exception exception)
        {
            var pending = new Stack<Exception>();
            pending.Push(exception);
            while (pending.Count > 0)
            {
                Exception e = pending.Pop();
                yield return e;
                if (e is AggregateException aggregate)
                {
                    foreach (Exception inner in aggregate.InnerExceptions.Reverse())
                    {
                        pending.Push(inner);
                    }
                }
                else if (e.InnerException is not null)
                {
                    pending.Push(e.InnerException);
                }
            }
        }

        private static Exception Innermost(IReadOnlyList<Exception> chain) => chain.LastOrDefault(e => e.InnerException is null) ?? chain[0];

        private static string FirstLine(string text) => Boundary.ErrorText.FirstLine(text);

        private static string WithoutHostPort(string text) => HostPort.Replace(text, string.Empty).Trim();
    }
}
