package io.synod.node;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Exclusive use of a test's fixed UDP port range by one test run on the machine, across JVMs and clones: a lock on
 * {@code <java.io.tmpdir>/synod-test-ports-<base>.lock}, which the operating system releases when the holding JVM
 * ends however it ends, so a killed run never leaves it held.
 * <p>
 * Why: the same test class run at the same time from two clones (everyone's {@code mvn verify} on one machine) used
 * the same ports. The later run's nodes could not bind and exited on their own, and its client reached the earlier
 * run's nodes instead (same ingress addresses) and opened a second session there, writing the same values 0, 1, 2...
 * The earlier run's cluster then rightly applied every such value twice, once per session, and its check failed
 * with {@code node 0 applied 0 twice}: no protocol fault, two clients. With the lease the later run waits its turn.
 * <p>
 * Also checks, once the lease is held, that the ports are free: a node left running by a run whose JVM was killed
 * holds them without the lock, and must be named, not silently talked to.
 */
final class PortLease implements AutoCloseable
{
    /** Longest wait for another run to finish with the ports: {@code -Dsynod.test.port.wait.s}, default 600. */
    static final long DEFAULT_WAIT_NS = TimeUnit.SECONDS.toNanos(Long.getLong("synod.test.port.wait.s", 600));

    private final int basePort;
    private final FileChannel channel;
    private final FileLock lock;

    private PortLease(final int basePort, final FileChannel channel, final FileLock lock)
    {
        this.basePort = basePort;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Take the ports from basePort on, waiting for another run that holds them.
     *
     * @param basePort the test's base port: the lock's name.
     * @param ports    the ports to check free, once the lease is held.
     * @param waitNs   longest wait for another run.
     * @return the lease; close it to release the ports.
     * @throws IllegalStateException if another run still holds them after waitNs, or a port is in use.
     */
    static PortLease acquire(final int basePort, final int[] ports, final long waitNs)
    {
        final File file = new File(System.getProperty("java.io.tmpdir"), "synod-test-ports-" + basePort + ".lock");
        final long deadline = System.nanoTime() + waitNs;
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            boolean waited = false;
            while (true)
            {
                final FileLock lock = tryLock(channel);
                if (lock != null)
                {
                    final PortLease lease = new PortLease(basePort, channel, lock);
                    if (waited)
                    {
                        System.err.println("ports from " + basePort + " free again: this run goes on");
                    }
                    lease.checkFree(ports);
                    return lease;
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("ports from " + basePort + " still held by another test run " +
                        "after " + TimeUnit.NANOSECONDS.toSeconds(waitNs) + " s (lock " + file + ")");
                }
                if (!waited)
                {
                    waited = true;
                    System.err.println("ports from " + basePort + " in use by another test run (lock " + file +
                        "): waiting for it");
                }
                Thread.sleep(200);
            }
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for ports from " + basePort, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
            throw ex;
        }
    }

    private static FileLock tryLock(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null; // held by this JVM: another test of this run (or this test, not yet closed)
        }
    }

    private void checkFree(final int[] ports)
    {
        for (final int port : ports)
        {
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            catch (final SocketException ex)
            {
                close();
                throw new IllegalStateException("UDP port " + port + " is in use outside any test run holding the " +
                    "lease (a node left by a killed run? find it with: ss -lunp | grep " + port + "): " + ex, ex);
            }
        }
    }

    /** @return the base port leased. */
    int basePort()
    {
        return basePort;
    }

    /** Release the ports to the next run. */
    public void close()
    {
        try
        {
            if (lock.isValid())
            {
                lock.release();
            }
        }
        catch (final IOException ignore)
        {
            // the lock goes with the channel anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // nothing held is left: the OS drops the lock with the descriptor
            }
        }
    }
}
