package io.synod.node;

import io.synod.log.PaxosLog;

/**
 * Makes the log a node writes. The default makes an in-memory log when {@link LogSettings#logDirectory()} is unset; a
 * test keeps one log object across a node's restart by returning it here.
 */
@FunctionalInterface
public interface LogFactory
{
    /**
     * @param context the node's settings, concluded.
     * @return the log, owned by the node from now on.
     */
    PaxosLog newLog(Context context);
}
