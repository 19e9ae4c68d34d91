package io.synod.sim;

import io.synod.core.PaxosNode;
import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Knows everything the simulated cluster did and checks the invariants of DESIGN.md section 3 after every step:
 * <ul>
 *     <li>no two nodes hold (or apply) different entries at the same chosen slot;</li>
 *     <li>only commands some client proposed are applied;</li>
 *     <li>no state machine applies a command twice, and every acknowledged command is applied at the slot it was
 *     acknowledged for, so on every node that applied that far;</li>
 *     <li>state machines that applied the same slots have the same state.</li>
 * </ul>
 */
final class Oracle
{
    private final Map<Long, Long> chosenFingerprints = new HashMap<>();
    private final Map<Long, Long> commandAppliedAt = new HashMap<>();
    private final Map<Long, Long> slotApplied = new HashMap<>();
    private final Map<Long, Long> stateHashAtAppliedIndex = new HashMap<>();
    private final Map<Long, Long> ackedAt = new HashMap<>();
    private final Set<Long> proposed = new HashSet<>();
    private final Map<RecordingStateMachine, Set<Long>> appliedBy = new IdentityHashMap<>();
    private final Map<Integer, Long> checkedUpTo = new HashMap<>();
    private final LogEntry entry = new LogEntry();
    long acknowledged;

    void onProposed(final long commandId)
    {
        proposed.add(commandId);
    }

    void onApplied(final int nodeId, final long slot, final long commandId, final RecordingStateMachine stateMachine)
    {
        if (!proposed.contains(commandId))
        {
            throw new AssertionError("node " + nodeId + " applied command " + describe(commandId) + " at slot " + slot +
                " that no client proposed");
        }
        if (!appliedBy.computeIfAbsent(stateMachine, k -> new HashSet<>()).add(commandId))
        {
            throw new AssertionError("node " + nodeId + " applied command " + describe(commandId) + " twice, again at " +
                "slot " + slot);
        }
        final Long previousSlot = commandAppliedAt.putIfAbsent(commandId, slot);
        if (previousSlot != null && previousSlot != slot)
        {
            throw new AssertionError("command " + describe(commandId) + " applied at slot " + slot + " on node " +
                nodeId + " but at slot " + previousSlot + " elsewhere");
        }
        final Long previousCommand = slotApplied.putIfAbsent(slot, commandId);
        if (previousCommand != null && previousCommand != commandId)
        {
            throw new AssertionError("slot " + slot + ": node " + nodeId + " applied " + describe(commandId) +
                ", another node applied " + describe(previousCommand));
        }
    }

    void onAcknowledged(final long commandId, final long slot)
    {
        acknowledged++;
        if (slot >= 0)
        {
            final Long appliedSlot = commandAppliedAt.get(commandId);
            if (appliedSlot == null || appliedSlot != slot)
            {
                throw new AssertionError("command " + describe(commandId) + " acknowledged at slot " + slot +
                    " but applied at " + appliedSlot);
            }
            ackedAt.put(commandId, slot);
        }
        else if (!commandAppliedAt.containsKey(commandId))
        {
            throw new AssertionError("command " + describe(commandId) + " acknowledged as a duplicate but never applied");
        }
    }

    /**
     * Check a live node's chosen prefix and state.
     */
    void check(final PaxosNode node, final RecordingStateMachine stateMachine)
    {
        final int nodeId = node.nodeId();
        final PaxosLog log = node.log();
        long slot = checkedUpTo.getOrDefault(nodeId, 0L);
        final long commitIndex = log.commitIndex();
        if (commitIndex > log.nextSlot())
        {
            throw new AssertionError("node " + nodeId + " commit index " + commitIndex + " beyond its log " + log);
        }
        for (; slot < commitIndex; slot++)
        {
            if (!log.read(slot, entry))
            {
                throw new AssertionError("node " + nodeId + " lost chosen slot " + slot + ": " + log);
            }
            final long fingerprint = fingerprint(entry);
            final Long known = chosenFingerprints.putIfAbsent(slot, fingerprint);
            if (known != null && known != fingerprint)
            {
                throw new AssertionError("slot " + slot + " chosen differently: node " + nodeId + " holds " + entry);
            }
        }
        checkedUpTo.put(nodeId, slot);

        final long applied = node.appliedIndex();
        final Long expectedHash = stateHashAtAppliedIndex.putIfAbsent(applied, stateMachine.stateHash());
        if (expectedHash != null && expectedHash != stateMachine.stateHash())
        {
            throw new AssertionError("node " + nodeId + " state differs from another node's after applying slots below " +
                applied);
        }
    }

    /**
     * A node restarts with its log: its chosen prefix is checked again from the start.
     */
    void onRestart(final int nodeId)
    {
        checkedUpTo.put(nodeId, 0L);
    }

    boolean isApplied(final long commandId)
    {
        return commandAppliedAt.containsKey(commandId);
    }

    int chosenSlots()
    {
        return chosenFingerprints.size();
    }

    static long fingerprint(final LogEntry entry)
    {
        long hash = entry.type();
        hash = hash * 31 + entry.sessionId();
        hash = hash * 31 + entry.sequence();
        hash = hash * 31 + entry.timestamp();
        final DirectBuffer payload = entry.payload();
        for (int i = 0; i < entry.payloadLength(); i++)
        {
            hash = hash * 31 + payload.getByte(i);
        }
        return hash;
    }

    static String describe(final long commandId)
    {
        return "client " + (commandId >>> 32) + " #" + (commandId & 0xFFFFFFFFL);
    }
}
