package io.synod.node;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.exceptions.ConfigurationException;
import io.synod.Configuration;
import org.agrona.IoUtil;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * Refuses to launch an embedded media driver in a directory a running driver uses. Aeron's
 * {@code dirDeleteOnStart} deletes the directory unasked; a second node configured with the first one's directory
 * then pulled the live node's driver files from under it. A directory left by a driver that is gone (its process
 * was killed) is reused at once, whatever its last heartbeat says: a supervisor restarting a crashed node must not
 * have to wait out Aeron's driver timeout.
 */
final class AeronDirectoryGuard
{
    private static final java.util.function.Consumer<String> IGNORE = (message) ->
    {
    };

    private AeronDirectoryGuard()
    {
    }

    /**
     * @param aeronDirectoryName where the embedded driver would go.
     * @throws ConfigurationException naming the setting and the process holding the directory, if one does.
     */
    static void refuseIfInUse(final String aeronDirectoryName)
    {
        final File cncFile = new File(aeronDirectoryName, CncFileDescriptor.CNC_FILE);
        if (!cncFile.exists() || cncFile.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return;
        }
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        try
        {
            if (!CommonContext.isDriverActive(CommonContext.DEFAULT_DRIVER_TIMEOUT_MS, IGNORE, cnc))
            {
                return;
            }
            final long pid = CncFileDescriptor.pid(CncFileDescriptor.createMetaDataBuffer(cnc));
            final boolean alive = pid <= 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (alive)
            {
                throw new ConfigurationException("aeronDirectoryName (" + Configuration.AERON_DIR_PROP + ") " +
                    aeronDirectoryName + " is in use by a running media driver (pid " + pid +
                    (pid == ProcessHandle.current().pid() ? ", this process" : "") + "; another node?): give each " +
                    "node a directory of its own, or set " + Configuration.EMBEDDED_DRIVER_PROP + "=false to use " +
                    "that driver");
            }
        }
        catch (final IllegalStateException ex) // a cnc file of another version or half written: not a live driver
        {
            return;
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }
}
