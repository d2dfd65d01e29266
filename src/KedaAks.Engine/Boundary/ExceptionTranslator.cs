using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace KedaAks.Engine.Boundary
{
    /// <summary>
    /// Turns any exception that escapes a unit into our own error: a stable ErrorId, a category, a message that
    /// names the operation and a fix. The original is kept only as text (<see cref="KedaAksException.Detail"/>),
    /// so no dependency's type ever reaches PowerShell. Cancellation is returned as it is.
    /// </summary>
    internal static class ExceptionTranslator
    {
        public static Exception Translate(Exception exception, string operation, System.Threading.CancellationToken? caller = null)
        {
            switch (exception)
            {
                case KedaAksException ours:
                    return ours;
                case OperationCanceledException when caller is { IsCancellationRequested: false }:
                    // Nobody stopped the command: a client gave up waiting (a network timeout after its retries).
                    return new KedaAksException("NetworkTimeout", KedaErrorCategory.OperationTimeout,
                        $"{Capitalize(operation)} did not finish: a server gave no answer in time, also after retries.", null,
                        "Run again; if it persists, check the service's health and the network path (KEDAAKS_NETWORK_TIMEOUT sets the seconds to wait per request).")
                    {
                        Detail = exception.ToString(),
                    };
                case OperationCanceledException:
                    return exception;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return Translate(aggregate.InnerExceptions[0], operation);
            }

            KedaAksException translated = exception switch
            {
                k8s.Autorest.HttpOperationException http => KubernetesErrors.FromResponse(http, http.Request?.RequestUri?.GetLeftPart(UriPartial.Path) ?? operation, Capitalize(operation)),
                k8s.Exceptions.KubeConfigException kubeconfig => new KedaAksException("InvalidKubeconfig", KedaErrorCategory.InvalidData,
                    $"{Capitalize(operation)} failed: the kubeconfig cannot be used: {Innermost(kubeconfig)}", null, "Check the file named by -KubeconfigPath or KUBECONFIG (kubectl config "
                        + "view shows what kubectl reads), or pick another -Context."),
                YamlDotNet.Core.YamlException yaml => new KedaAksException("InvalidYaml", KedaErrorCategory.InvalidData,
                    $"{Capitalize(operation)} failed: the YAML is not valid at line {yaml.Start.Line}, column {yaml.Start.Column}: {Innermost(yaml)}", null,
                    "Fix the YAML at that position (a kubeconfig or manifest must be valid YAML; kubectl would refuse it too)."),
                global::Azure.Identity.AuthenticationFailedException or global::Azure.Identity.CredentialUnavailableException => new KedaAksException("AzureAuthenticationFailed",
                    KedaErrorCategory.AuthenticationError, $"{Capitalize(operation)} failed: no Entra token: {FirstLine(Innermost(exception))}", null,
                    "Sign in (Connect-AzAccount, az login, or the AZURE_* environment variables) or choose -TokenSource, then run again."),
                global::Azure.RequestFailedException request => new KedaAksException(request.ErrorCode is { Length: > 0 } code ? code : $"Http{request.Status}",
                    Azure.ArmErrors.CategoryOf(request.Status),
                    $"{Capitalize(operation)} failed: Azure answered {request.Status}: {FirstLine(request.Message)}", null, "Read Azure's answer, correct the input, and run again."),
                HttpRequestException http when http.InnerException is AuthenticationException => new KedaAksException("TlsTrustFailed", KedaErrorCategory.SecurityError,
                    $"{Capitalize(operation)} failed: the server's TLS certificate is not trusted: {FirstLine(Innermost(http))}", null,
                    "Trust the server's CA: add it to the system store, or name a bundle that holds it in SSL_CERT_FILE."),
                HttpRequestException http => new KedaAksException("ConnectionFailed", KedaErrorCategory.ConnectionError,
                    $"{Capitalize(operation)} failed: the server could not be reached: {FirstLine(Innermost(http))}", null,
                    "Check the address, DNS and the network path (proxy, firewall, private endpoint), then run again."),
                SocketException socket => new KedaAksException("ConnectionFailed", KedaErrorCategory.ConnectionError,
                    $"{Capitalize(operation)} failed: {socket.Message}", null, "Check the address, DNS and the network path, then run again."),
                System.Text.Json.JsonException json => new KedaAksException("InvalidResponse", KedaErrorCategory.InvalidData,
                    $"{Capitalize(operation)} failed: an answer was not the JSON expected: {FirstLine(json.Message)}", null,
                    "A proxy or a wrong endpoint may have answered instead of the service: check the endpoint (and -ArmEndpoint), then run again."),
                FileNotFoundException file => new KedaAksException("FileNotFound", KedaErrorCategory.ObjectNotFound,
                    $"{Capitalize(operation)} failed: the file '{file.FileName}' does not exist.", file.FileName, "Check the path."),
                DirectoryNotFoundException directory => new KedaAksException("FileNotFound", KedaErrorCategory.ObjectNotFound,
                    $"{Capitalize(operation)} failed: {directory.Message}", null, "Check the path."),
                UnauthorizedAccessException access => new KedaAksException("AccessDenied", KedaErrorCategory.PermissionDenied,
                    $"{Capitalize(operation)} failed: {access.Message}", null, "Check the file's permissions, or run as a user that may read it."),
                IOException io => new KedaAksException("IOError", KedaErrorCategory.ReadError, $"{Capitalize(operation)} failed: {io.Message}", null, "Check the file or device and run again."),
                TimeoutException timeout => new KedaAksException("OperationTimeout", KedaErrorCategory.OperationTimeout,
                    $"{Capitalize(operation)} did not finish in time: {timeout.Message}", null, "Run again; if it persists, check the service's health."),
                _ => new KedaAksException("UnexpectedError", KedaErrorCategory.NotSpecified, $"{Capitalize(operation)} failed unexpectedly: {FirstLine(Innermost(exception))}", null,
                    "Run the command again with -Debug; if it fails the same way, report it with the error's Detail property (no secrets are in it)."),
            };
            translated.Detail = exception.ToString();
            return translated;
        }

        /// <summary>The deepest message, which names the real cause (wrappers repeat or hide it).</summary>
        internal static string Innermost(Exception exception)
        {
            Exception e = exception;
            while (e.InnerException is not null)
            {
                e = e.InnerException;
            }

            return e.Message.Trim();
        }

        private static string FirstLine(string text) => ErrorText.FirstLine(text) is { Length: > 0 } line ? line : text;

        private static string Capitalize(string operation) => operation.Length == 0 ? operation : char.ToUpperInvariant(operation[0]) + operation.Substring(1);
    }
}
