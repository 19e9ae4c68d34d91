package io.synod.sim;

/**
 * Thrown by a {@link CrashingLog} in place of a write when the node's crash budget is spent: the process dies at that
 * point of its duty cycle. The simulation catches it wherever it called the core and crashes the node; nothing the
 * core sent during the cycle leaves, since messages are released only after the cycle's sync.
 */
final class SimulatedCrash extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    final int nodeId;
    final int writesBefore;

    SimulatedCrash(final int nodeId, final int writesBefore)
    {
        super("node " + nodeId + " crashed after " + writesBefore + " log writes in its duty cycle", null, false, true);
        this.nodeId = nodeId;
        this.writesBefore = writesBefore;
    }

    /**
     * @return the core method that was writing when the crash hit, e.g. {@code Proposer.becomeLeader}, or
     * {@code sync} for a crash at the end of the cycle.
     */
    String site()
    {
        for (final StackTraceElement frame : getStackTrace())
        {
            if (frame.getClassName().startsWith("io.synod.core."))
            {
                final String className = frame.getClassName();
                return className.substring(className.lastIndexOf('.') + 1) + "." + frame.getMethodName();
            }
        }
        return "sync"; // all of the cycle's writes made, none synced: the driver's sync is where it died
    }
}
