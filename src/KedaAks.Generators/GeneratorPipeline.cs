namespace KedaAks.Generators
{
    /// <summary>What the parameter-group and request-builder generators share: their pipeline, and the rule that a class they write into is partial.</summary>
    internal static class GeneratorPipeline
    {
        /// <summary>
        /// Adds the attribute's source to every compilation, then, for each class marked with <paramref name="attributeName"/>, reports what
        /// <paramref name="generate"/> found wrong and adds what it wrote.
        /// </summary>
        public static void Register(IncrementalGeneratorInitializationContext context, string attributeHintName, string attributeSource, string attributeName,
            Func<GeneratorAttributeSyntaxContext, CancellationToken, TargetOutput> generate)
        {
            context.RegisterPostInitializationOutput(post => post.AddSource(attributeHintName, attributeSource));
            IncrementalValuesProvider<TargetOutput> targets = context.SyntaxProvider.ForAttributeWithMetadataName(
                attributeName, static (node, _) => node is ClassDeclarationSyntax, (target, token) => generate(target, token));
            context.RegisterSourceOutput(targets, static (output, target) =>
            {
                foreach (DiagnosticInfo diagnostic in target.Diagnostics)
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                if (target.Source is { } source)
                {
                    output.AddSource(target.HintName, source);
                }
            });
        }

        /// <summary>Whether the class and every class it is nested in are partial; if not, <paramref name="notPartial"/> at the class's name joins the diagnostics.</summary>
        public static bool IsPartial(ClassDeclarationSyntax declaration, INamedTypeSymbol symbol, DiagnosticDescriptor notPartial, List<DiagnosticInfo> diagnostics)
        {
            if (declaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().All(type => type.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                return true;
            }

            diagnostics.Add(new DiagnosticInfo(notPartial, declaration.Identifier.GetLocation(), symbol.Name));
            return false;
        }
    }
}
