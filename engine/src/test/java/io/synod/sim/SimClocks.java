package io.synod.sim;

import java.util.Random;

/**
 * Each simulated node's own monotonic clock, as on separate hosts: an origin up to two hours from the others' and a
 * drift of up to 100 ppm. Drawn from a stream of its own, so a seed's other faults do not change with it.
 */
final class SimClocks
{
    private final long[] originNs;
    private final double[] rate;

    SimClocks(final long seed, final int nodeCount)
    {
        final Random clocks = new Random(seed * 0x9E3779B97F4A7C15L + 11);
        originNs = new long[nodeCount];
        rate = new double[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            originNs[i] = (long)(clocks.nextDouble() * 7_200_000_000_000L);
            rate[i] = 1 + (clocks.nextDouble() - 0.5) * 2e-4;
        }
    }

    /**
     * @return the node's clock when the simulated time is nowNs.
     */
    long local(final int nodeId, final long nowNs)
    {
        return originNs[nodeId] + (long)(nowNs * rate[nodeId]);
    }
}
