// The tests start real silo processes; on two cores, running them side by side only makes them slower and flakier.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
