package io.synod.sim;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.DirectBuffer;

/**
 * The simulation's state machine: each command is a (client, number) pair; the state is a running hash of what was
 * applied, in order. It reports every application to the oracle, which checks it was proposed and never applied
 * twice, and answers with a value derived from the command so a client can check it got its own response.
 */
final class RecordingStateMachine implements StateMachine
{
    private final int nodeId;
    private final Oracle oracle;
    private long stateHash = 17;
    private long applied;
    private long lastTimestamp = Long.MIN_VALUE;
    private long lastTimestampSlot = -1;
    private String timeWentBack;

    RecordingStateMachine(final int nodeId, final Oracle oracle)
    {
        this.nodeId = nodeId;
        this.oracle = oracle;
    }

    public void apply(
        final long slot,
        final long timestamp,
        final DirectBuffer command,
        final int offset,
        final int length,
        final ResponseWriter response)
    {
        if (timestamp < lastTimestamp && timeWentBack == null)
        {
            // Kept for the oracle: an exception here would only stop this node (apply that throws is fail-stop).
            timeWentBack = "cluster time went backwards: slot " + slot + " stamped " + timestamp + " after slot " +
                lastTimestampSlot + " stamped " + lastTimestamp;
        }
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        lastTimestampSlot = slot;
        final long commandId = command.getLong(offset);
        stateHash = stateHash * 31 + commandId;
        applied++;
        oracle.onApplied(nodeId, slot, commandId, this);
        response.buffer().putLong(0, expectedResponse(commandId));
        response.length(8);
    }

    /**
     * @return how the log time seen by this state machine went backwards, or null if it never did.
     */
    String timeWentBack()
    {
        return timeWentBack;
    }

    /**
     * @return the highest log time this state machine was given, Long.MIN_VALUE before the first command.
     */
    long lastTimestamp()
    {
        return lastTimestamp;
    }

    static long expectedResponse(final long commandId)
    {
        return commandId * 0x9E3779B97F4A7C15L;
    }

    long stateHash()
    {
        return stateHash;
    }

    long appliedCommands()
    {
        return applied;
    }

    /**
     * @return true if this instance has seen commandId (kept by the oracle per node incarnation).
     */
    int nodeId()
    {
        return nodeId;
    }
}
