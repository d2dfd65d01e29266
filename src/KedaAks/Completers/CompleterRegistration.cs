namespace KedaAks.Completers
{
    /// <summary>
    /// Completers for parameters declared without an <c>[ArgumentCompleter]</c> attribute, registered when the module is
    /// imported (Register-ArgumentCompleter in the importing runspace). Each entry can move to an attribute on its parameter.
    /// </summary>
    public sealed class CompleterRegistration : IModuleAssemblyInitializer
    {
        internal static readonly (string Command, string Parameter, Type Completer)[] Registrations =
        {
            ("Install-KedaHelm", "Version", typeof(ChartVersionCompleter)),
            ("Install-KedaHelm", "Namespace", typeof(NamespaceCompleter)),
            ("New-KedaServiceAccount", "Namespace", typeof(NamespaceCompleter)),
            ("Deploy-KedaResource", "Namespace", typeof(NamespaceCompleter)),
        };

        public void OnImport()
        {
            try
            {
                using var powerShell = PowerShell.Create(RunspaceMode.CurrentRunspace);
                foreach ((string command, string parameter, Type completer) in Registrations)
                {
                    string script = $"param($c, $p, $w, $a, $f) [{completer.FullName}]::new().CompleteArgument($c, $p, $w, $a, $f)";
                    powerShell.AddCommand("Microsoft.PowerShell.Core\\Register-ArgumentCompleter").AddParameter("CommandName", command)
                        .AddParameter("ParameterName", parameter).AddParameter("ScriptBlock", ScriptBlock.Create(script)).AddStatement();
                }

                powerShell.Invoke();
            }
            catch (Exception)
            {
                // No completion for these parameters is better than a failed import (e.g. a runspace without the core cmdlets).
            }
        }
    }
}
