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
        final long commandId = command.getLong(offset);
        stateHash = stateHash * 31 + commandId;
        applied++;
        oracle.onApplied(nodeId, slot, commandId, this);
        response.buffer().putLong(0, expectedResponse(commandId));
        response.length(8);
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
