package io.synod.perf.compare;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/** The idle strategies the harness offers, by the names Synod's configuration uses for them. */
public final class Idle
{
    private Idle()
    {
    }

    /** @return a new idle strategy of that name. */
    public static IdleStrategy of(final String name)
    {
        switch (name)
        {
            case "yielding":
                return new YieldingIdleStrategy();
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy();
            case "sleeping":
                return new SleepingMillisIdleStrategy();
            default:
                throw new IllegalArgumentException("--idle must be yielding, busy-spin, backoff or sleeping: " + name);
        }
    }
}
