package io.synod;

import io.aeron.exceptions.ConfigurationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Idle strategies by name, and the choice made when the name is {@code auto}: busy-spin only where there are cores
 * enough for every spinning thread, otherwise back-off (spin, yield, then park up to 1 ms) so a 2-core machine can
 * run three nodes, their drivers and a client.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * @param name         busy-spin, yielding, backoff, sleeping, noop, auto, or a class name with a no-arg
     *                     constructor.
     * @param minCores     cores needed for auto to pick busy-spin.
     * @param settingName  named in errors.
     * @return a new idle strategy.
     */
    public static IdleStrategy of(final String name, final int minCores, final String settingName)
    {
        switch (resolve(name, minCores))
        {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "yielding":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            case "sleeping":
                return new SleepingMillisIdleStrategy(1);
            case "noop":
                return new NoOpIdleStrategy();
            default:
                try
                {
                    return (IdleStrategy)Class.forName(name).getConstructor().newInstance();
                }
                catch (final ReflectiveOperationException | ClassCastException ex)
                {
                    throw new ConfigurationException(settingName + "=" + name +
                        ": expected busy-spin, yielding, backoff, sleeping, noop, auto or an IdleStrategy class name");
                }
        }
    }

    /**
     * @param name     as for {@link #of(String, int, String)}.
     * @param minCores cores needed for auto to pick busy-spin.
     * @return the name, with auto replaced by the choice for this machine.
     */
    public static String resolve(final String name, final int minCores)
    {
        if (!"auto".equals(name))
        {
            return name;
        }
        return Runtime.getRuntime().availableProcessors() >= minCores ? "busy-spin" : "backoff";
    }
}
