package io.synod.node;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two runs of one process test on one machine (two clones building at once) must not share its ports: the second
 * waits for the first, across JVMs. Ports 26100-26102.
 */
class PortLeaseTest
{
    private static final int BASE_PORT = 26100;
    private static final int[] PORTS = {BASE_PORT, BASE_PORT + 1};

    /**
     * Holds the lease of the base port given as argument until its standard input ends: the other run.
     */
    public static void main(final String[] args) throws Exception
    {
        try (PortLease ignored = PortLease.acquire(Integer.parseInt(args[0]), new int[0], TimeUnit.SECONDS.toNanos(30)))
        {
            System.out.println("leased");
            System.out.flush();
            while (System.in.read() != -1)
            {
                Thread.yield();
            }
        }
    }

    /**
     * @return another JVM holding the lease of basePort (it has said so) until its standard input is closed.
     */
    static Process holdLeaseInAnotherProcess(final int basePort) throws java.io.IOException
    {
        final Process other = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"),
            PortLeaseTest.class.getName(), Integer.toString(basePort))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final BufferedReader out =
            new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.US_ASCII));
        final String line = out.readLine();
        if (!"leased".equals(line))
        {
            other.destroyForcibly();
            throw new IllegalStateException("the other run did not take the lease: " + line);
        }
        return other;
    }

    @Test
    void aRunWaitsWhileAnotherProcessHoldsThePortsAndGoesOnWhenItEnds() throws Exception
    {
        final Process other = holdLeaseInAnotherProcess(BASE_PORT);
        try
        {

            final IllegalStateException held = assertThrows(IllegalStateException.class,
                () -> PortLease.acquire(BASE_PORT, PORTS, TimeUnit.MILLISECONDS.toNanos(500)));
            assertTrue(held.getMessage().contains("still held by another test run"), held.getMessage());

            other.getOutputStream().close(); // the other run ends
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            try (PortLease lease = PortLease.acquire(BASE_PORT, PORTS, TimeUnit.SECONDS.toNanos(30)))
            {
                assertEquals(BASE_PORT, lease.basePort());
            }
        }
        finally
        {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPortBoundWithoutTheLeaseIsNamed() throws Exception
    {
        try (DatagramSocket leftover = new DatagramSocket(null))
        {
            leftover.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), BASE_PORT + 1));
            final IllegalStateException inUse = assertThrows(IllegalStateException.class,
                () -> PortLease.acquire(BASE_PORT, PORTS, TimeUnit.SECONDS.toNanos(5)));
            assertTrue(inUse.getMessage().contains("UDP port " + (BASE_PORT + 1) + " is in use"), inUse.getMessage());
        }
        // The failed acquire released the lease: the next run gets it.
        try (PortLease lease = PortLease.acquire(BASE_PORT, PORTS, TimeUnit.SECONDS.toNanos(5)))
        {
            assertEquals(BASE_PORT, lease.basePort());
        }
    }
}
