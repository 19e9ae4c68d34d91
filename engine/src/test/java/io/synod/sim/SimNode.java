package io.synod.sim;

import io.synod.core.CoreConfig;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.log.MappedPaxosLog;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One simulated node: the real core over a log that survives its crashes, with a fresh state machine per
 * incarnation (it is rebuilt by applying the log again).
 * <p>
 * As in the runtime, what the core sends during a duty cycle is held back and leaves only after the cycle's
 * {@code sync()} ({@link #releaseSends()}); a crash inside the cycle discards it. The log is wrapped in a
 * {@link CrashingLog} so the simulation can kill the node after any number of writes inside a cycle.
 */
final class SimNode
{
    /**
     * What a crash does to the log.
     */
    enum CrashKind
    {
        /** The process dies: every write made so far stays (a mapped log under {@code NONE}, or the page cache). */
        PROCESS,
        /** The machine loses power: only what the last completed sync made durable comes back ({@code FORCE}). */
        POWER_CUT
    }

    private static final class Pending
    {
        final int to;
        final byte[] bytes;

        Pending(final int to, final byte[] bytes)
        {
            this.to = to;
            this.bytes = bytes;
        }
    }

    final int nodeId;
    private final CoreConfig config;
    private final SimNetwork network;
    private final Oracle oracle;
    private final Supplier<PaxosLog> openLog;
    private final boolean reopensLog;
    private DurableImage image;
    private final List<Pending> pending = new ArrayList<>();
    private final Outbox outbox;
    private CrashingLog log;
    private PaxosNode node;
    private RecordingStateMachine stateMachine;
    private boolean up;
    int incarnation;
    int wipes;
    long malformedReported;

    /**
     * @param openLog    opens the node's log; called at every start when reopensLog, else once (and again for the
     *                   fresh log a power cut is replayed into).
     * @param reopensLog true for a log on disk: a crash closes it and a restart opens it again from its files,
     *                   so recovery runs; false for an in-memory log, kept as the crash left it.
     * @param powerCuts  true to journal the writes so that {@link #crash(CrashKind)} can cut the power (in-memory
     *                   logs only).
     */
    SimNode(
        final CoreConfig config,
        final SimNetwork network,
        final Oracle oracle,
        final Supplier<PaxosLog> openLog,
        final boolean reopensLog,
        final boolean powerCuts)
    {
        if (reopensLog && powerCuts)
        {
            throw new IllegalArgumentException("power cuts are modelled on in-memory logs only");
        }
        this.nodeId = config.nodeId();
        this.config = config;
        this.network = network;
        this.oracle = oracle;
        this.openLog = openLog;
        this.reopensLog = reopensLog;
        this.image = powerCuts ? new DurableImage() : null;
        this.outbox = new Outbox()
        {
            public void sendToPeer(final int peerId, final DirectBuffer buffer, final int offset, final int length)
            {
                hold(peerId, buffer, offset, length);
            }

            public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
            {
                hold((int)clientId, buffer, offset, length);
            }
        };
        start();
    }

    private void hold(final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        pending.add(new Pending(to, bytes));
    }

    void start()
    {
        if (log == null)
        {
            log = new CrashingLog(nodeId, openLog.get(), image);
        }
        pending.clear();
        stateMachine = new RecordingStateMachine(nodeId, oracle);
        node = new PaxosNode(config, log, stateMachine, outbox, throwable -> malformedReported++);
        oracle.onRestart(nodeId);
        up = true;
        incarnation++;
    }

    /**
     * End of the duty cycle, after the log's sync: what the core sent goes on the network.
     */
    void releaseSends()
    {
        for (final Pending message : pending)
        {
            network.send(nodeId, message.to, new org.agrona.concurrent.UnsafeBuffer(message.bytes), 0,
                message.bytes.length);
        }
        pending.clear();
    }

    void crash(final CrashKind kind)
    {
        up = false;
        node = null;
        stateMachine = null;
        pending.clear();
        log.disarm();
        if (reopensLog)
        {
            // A mapped log is let go without its closing sync, as a process crash would: recovery at the restart
            // must cut whatever the node wrote after its last completed sync.
            if (log.delegate() instanceof MappedPaxosLog)
            {
                ((MappedPaxosLog)log.delegate()).closeAsCrashed();
            }
            else
            {
                log.close();
            }
            log = null;
        }
        else if (kind == CrashKind.POWER_CUT)
        {
            log = new CrashingLog(nodeId, image.powerCut(openLog.get()), image);
        }
    }

    /**
     * @return true if a crash now would be a power cut (the writes are journalled).
     */
    boolean cutsPower()
    {
        return image != null;
    }

    /**
     * @return calls a power cut now would lose.
     */
    int unsyncedWrites()
    {
        return image == null ? 0 : image.unsynced();
    }

    /**
     * The node's disk is lost while it is down: its next start finds an empty log, made the way a node makes a new
     * one (not voting). Only for logs the simulation keeps in memory.
     */
    void wipe()
    {
        if (up || reopensLog)
        {
            throw new IllegalStateException("wipe a stopped node with an in-memory log only");
        }
        log.close();
        image = image == null ? null : new DurableImage();
        log = new CrashingLog(nodeId, openLog.get(), image);
        oracle.onDiskLost(nodeId);
        wipes++;
    }

    /**
     * @return true if the node's log votes (a down node's too: the flag is part of the kept log).
     */
    boolean isVoting()
    {
        return log != null && log.voting();
    }

    boolean isUp()
    {
        return up;
    }

    PaxosNode node()
    {
        return node;
    }

    RecordingStateMachine stateMachine()
    {
        return stateMachine;
    }

    CrashingLog log()
    {
        return log;
    }

    void close()
    {
        if (log != null)
        {
            log.close();
            log = null;
        }
    }

    public String toString()
    {
        return up ? node.toString() : "SimNode{id=" + nodeId + ", down}";
    }
}
