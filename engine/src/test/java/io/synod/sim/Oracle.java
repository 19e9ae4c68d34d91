package io.synod.sim;

import io.synod.codecs.EntryType;
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
 * Knows everything the simulated cluster did and checks the safety invariants after every step
 * (docs/protocol.md, "The simulation's fault model"):
 * <ul>
 *     <li>no two nodes hold (or apply) different entries at the same chosen slot;</li>
 *     <li>only commands some client proposed are applied;</li>
 *     <li>no state machine applies a command twice, and every acknowledged command is applied at the slot it was
 *     acknowledged for, so on every node that applied that far;</li>
 *     <li>state machines that applied the same slots have the same state;</li>
 *     <li>at the end of a run ({@link #checkAcknowledgedHeld}), every acknowledged command is in the final log of
 *     every node that did not lose its disk, at the slot it was acknowledged for.</li>
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
    private final Set<Integer> lostDisk = new HashSet<>();
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
        else
        {
            final Long appliedSlot = commandAppliedAt.get(commandId);
            if (appliedSlot == null)
            {
                throw new AssertionError("command " + describe(commandId) + " acknowledged as a duplicate but never " +
                    "applied");
            }
            ackedAt.put(commandId, appliedSlot);
        }
    }

    /**
     * A node lost its disk (restarted with an empty log): it is not expected to hold what was acknowledged before.
     */
    void onDiskLost(final int nodeId)
    {
        lostDisk.add(nodeId);
    }

    /**
     * End of a run: every acknowledged command must be in this node's log at the slot it was acknowledged for,
     * unless the node lost its disk or compacted that slot away. An acknowledged command that a majority no longer
     * holds can be replaced in its slot by a new leader; this catches it even where no node applied the replacement.
     */
    void checkAcknowledgedHeld(final int nodeId, final PaxosLog log)
    {
        if (lostDisk.contains(nodeId))
        {
            return;
        }
        for (final Map.Entry<Long, Long> acked : ackedAt.entrySet())
        {
            final long commandId = acked.getKey();
            final long slot = acked.getValue();
            if (slot < log.firstSlot())
            {
                continue;
            }
            if (!log.read(slot, entry))
            {
                throw new AssertionError("node " + nodeId + " does not hold slot " + slot + " where " +
                    describe(commandId) + " was acknowledged: " + log);
            }
            if (entry.type() != (byte)EntryType.COMMAND.value() || entry.payloadLength() != 8 ||
                entry.payload().getLong(0) != commandId)
            {
                throw new AssertionError("node " + nodeId + " holds " + entry + " at slot " + slot + " where " +
                    describe(commandId) + " was acknowledged");
            }
        }
    }

    /**
     * Check a live node's chosen prefix and state.
     */
    void check(final PaxosNode node, final RecordingStateMachine stateMachine)
    {
        if (stateMachine.timeWentBack() != null)
        {
            throw new AssertionError("node " + node.nodeId() + ": " + stateMachine.timeWentBack());
        }
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
