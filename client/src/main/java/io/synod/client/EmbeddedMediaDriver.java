package io.synod.client;

import io.aeron.AeronVersion;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConfigurationException;
import io.synod.Configuration;
import io.synod.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;

/**
 * The client's embedded media driver, and the only class of the client that names {@code io.aeron:aeron-driver}: the
 * dependency is optional (an application that connects to an external driver leaves it out), so this class is loaded
 * only once {@link #requireOnClassPath} has found the driver.
 */
final class EmbeddedMediaDriver
{
    /** The class the embedded driver needs; looked up by name so that its absence is an error we can word. */
    static final String DRIVER_CLASS_NAME = "io.aeron.driver.MediaDriver";

    private EmbeddedMediaDriver()
    {
    }

    /**
     * Fail, naming the dependency to add, if the media driver is not on the class path.
     *
     * @param loader where the client's classes come from.
     * @throws ConfigurationException if {@value #DRIVER_CLASS_NAME} cannot be loaded.
     */
    static void requireOnClassPath(final ClassLoader loader)
    {
        try
        {
            Class.forName(DRIVER_CLASS_NAME, false, loader);
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new ConfigurationException("embeddedDriver is true (" + Configuration.EMBEDDED_DRIVER_PROP +
                ") but the Aeron media driver (" + DRIVER_CLASS_NAME + ") is not on the class path: add the " +
                "dependency io.aeron:aeron-driver:" + AeronVersion.VERSION + " (synod-client has it as optional), " +
                "or set embeddedDriver(false) and aeronDirectoryName to an external driver's directory");
        }
    }

    /**
     * Launch a shared-threading driver in the client's Aeron directory; call {@link #requireOnClassPath} first.
     *
     * @param ctx the concluded client settings.
     * @return the driver, to close with the client.
     */
    static AutoCloseable launch(final ClientContext ctx)
    {
        final IdleStrategy driverIdle =
            IdleStrategies.of(ctx.idleStrategyName(), ctx.busySpinMinCores(), Configuration.IDLE_STRATEGY_PROP);
        return MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(ctx.aeronDirectoryName())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(driverIdle)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(ctx.errorHandler()));
    }
}
