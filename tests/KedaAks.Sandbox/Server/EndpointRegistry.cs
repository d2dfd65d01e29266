using System;
using System.Collections.Generic;
using System.Linq;

namespace KedaAks.Sandbox.Server
{
    /// <summary>The sandbox's endpoint groups in match order, and the fallback (ARM) that takes every other path.</summary>
    public sealed class EndpointRegistry
    {
        private readonly object _lock = new();
        private IEndpointGroup[] _groups = Array.Empty<IEndpointGroup>();
        private IEndpointGroup? _fallback;

        public IReadOnlyList<IEndpointGroup> Groups => _groups;

        public IEndpointGroup? Fallback => _fallback;

        /// <summary>Adds a group after the ones registered before (so before the fallback).</summary>
        public EndpointRegistry Add(IEndpointGroup group)
        {
            lock (_lock)
            {
                if (_groups.Any(g => g.Name == group.Name))
                {
                    throw new InvalidOperationException($"An endpoint group named '{group.Name}' is already registered.");
                }

                _groups = _groups.Append(group).ToArray();
            }

            return this;
        }

        public EndpointRegistry SetFallback(IEndpointGroup group)
        {
            _fallback = group;
            return this;
        }

        public IEndpointGroup Resolve(string path) =>
            _groups.FirstOrDefault(g => g.Matches(path)) ?? _fallback ?? throw new InvalidOperationException($"No endpoint group answers '{path}'.");
    }
}
