using System;

namespace KedaAks.Sandbox.Server
{
    /// <summary>What the pipeline knows of the request in flight (an HttpContext feature): its group and path, and whether a fault answered it.</summary>
    public sealed class SandboxRequestFeature
    {
        public SandboxRequestFeature(IEndpointGroup group, string path, DateTimeOffset start)
        {
            Group = group;
            Path = path;
            Start = start;
        }

        public IEndpointGroup Group { get; }

        public string Path { get; }

        public DateTimeOffset Start { get; }

        public bool Faulted { get; set; }

        /// <summary>The injected fault's kind (429, 500, 503, timeout, drop), or null.</summary>
        public string? Fault { get; set; }
    }
}
