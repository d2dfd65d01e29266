namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Where each cmdlet's help is online (<c>Get-Help -Online</c>): its markdown source under <see cref="Base"/>. Every
    /// <c>[Cmdlet]</c> names <c>HelpUri = HelpLinks.Base + "&lt;Verb-Noun&gt;.md"</c>, and build.ps1 -Task Help writes the same
    /// address as the MAML's "Online Version:" link (tools/Module.ps1 reads this constant).
    /// </summary>
    internal static class HelpLinks
    {
        public const string Base = "https://github.com/kedaaks/KedaAks/blob/main/module/help/en-US/";
    }
}
