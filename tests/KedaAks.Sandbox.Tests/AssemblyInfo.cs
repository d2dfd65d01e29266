using Xunit;

// The rollout tests measure simulated time (a 300 ms rollout): test classes run one after another, so a loaded
// two-core machine does not stretch it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
