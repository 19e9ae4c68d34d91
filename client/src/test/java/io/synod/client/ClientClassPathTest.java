package io.synod.client;

import io.aeron.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client as an application that depends on synod-client alone sees it: this module's tests run without the
 * optional media driver (surefire excludes io.aeron:aeron-driver), and synod-client depends on no node, log or core.
 * So these checks fail if the client starts to need the driver, or the node, to load, or if the driver (or the node)
 * comes back as a dependency that every client pulls. Members on loopback ports 28000-28002, never bound.
 */
class ClientClassPathTest
{
    private static final String[] NOT_ON_CLIENT_CLASS_PATH = {
        EmbeddedMediaDriver.DRIVER_CLASS_NAME,
        "io.synod.node.SynodNode",
        "io.synod.node.Context",
        "io.synod.core.Acceptor",
        "io.synod.log.MappedPaxosLog",
    };

    @Test
    void mediaDriverAndNodeAreNotOnTheClientsClassPath()
    {
        final ClassLoader loader = SynodClient.class.getClassLoader();
        for (final String name : NOT_ON_CLIENT_CLASS_PATH)
        {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, loader),
                name + " is on the client's class path");
        }
    }

    @Test
    void clientClassesLoadAndLinkWithoutTheDriver()
    {
        final ClassLoader loader = SynodClient.class.getClassLoader();
        for (final String name : new String[] {
            "io.synod.client.SynodClient", "io.synod.client.ClientContext", "io.synod.client.AeronClientTransport",
            "io.synod.client.EmbeddedMediaDriver", "io.synod.client.ClientThread"})
        {
            assertDoesNotThrow(() -> Class.forName(name, true, loader), name);
        }
    }

    @Test
    void connectWithAnEmbeddedDriverButNoDriverNamesTheDependencyToAdd()
    {
        final ClientContext ctx = new ClientContext()
            .members("0=localhost:28000,1=localhost:28001,2=localhost:28002")
            .embeddedDriver(true)
            .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500)); // were the driver there, fail fast: no node runs

        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> SynodClient.connect(ctx));

        assertTrue(ex.getMessage().contains("io.aeron:aeron-driver"), ex.getMessage());
        assertTrue(ex.getMessage().contains("embeddedDriver(false)"), ex.getMessage());
    }
}
