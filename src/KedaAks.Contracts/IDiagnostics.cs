namespace KedaAks
{
    /// <summary>Diagnosis of KEDA, HPA, webhook and Entra error text.</summary>
    public interface IDiagnostics
    {
        Diagnosis Resolve(string text);
    }
}
