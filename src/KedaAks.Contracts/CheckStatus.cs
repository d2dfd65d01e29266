using System;
using System.Collections.Generic;

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
