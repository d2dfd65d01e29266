namespace KedaAks
{
    public enum CheckStatus
    {
        Pass,
        Warning,
        Fail,
        Skipped,
    }
}
