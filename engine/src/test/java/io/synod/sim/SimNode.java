package io.synod.sim;

import io.synod.core.CoreConfig;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;

import java.util.function.Supplier;

/**
 * One simulated node: the real core over a log that survives its crashes, with a fresh state machine per
 * incarnation (it is rebuilt by applying the log again).
 */
final class SimNode
{
    final int nodeId;
    private final CoreConfig config;
    private final Oracle oracle;
    private final Supplier<PaxosLog> openLog;
    private final boolean reopensLog;
    private final Outbox outbox;
    private PaxosLog log;
    private PaxosNode node;
    private RecordingStateMachine stateMachine;
    private boolean up;
    int incarnation;
    int wipes;
    long malformedReported;

    /**
     * @param openLog    opens the node's log; called at every start when reopensLog, else once.
     * @param reopensLog true for a log on disk: a crash closes it and a restart opens it again from its files,
     *                   so recovery runs; false for an in-memory log, kept as the crash left it.
     */
    SimNode(
        final CoreConfig config,
        final SimNetwork network,
        final Oracle oracle,
        final Supplier<PaxosLog> openLog,
        final boolean reopensLog)
    {
        this.nodeId = config.nodeId();
        this.config = config;
        this.oracle = oracle;
        this.openLog = openLog;
        this.reopensLog = reopensLog;
        this.outbox = new Outbox()
        {
            public void sendToPeer(final int peerId, final DirectBuffer buffer, final int offset, final int length)
            {
                network.send(nodeId, peerId, buffer, offset, length);
            }

            public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
            {
                network.send(nodeId, (int)clientId, buffer, offset, length);
            }
        };
        start();
    }

    void start()
    {
        if (log == null)
        {
            log = openLog.get();
        }
        stateMachine = new RecordingStateMachine(nodeId, oracle);
        node = new PaxosNode(config, log, stateMachine, outbox, throwable -> malformedReported++);
        oracle.onRestart(nodeId);
        up = true;
        incarnation++;
    }

    void crash()
    {
        up = false;
        node = null;
        stateMachine = null;
        if (reopensLog)
        {
            log.close();
            log = null;
        }
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
        log = openLog.get();
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

    PaxosLog log()
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
