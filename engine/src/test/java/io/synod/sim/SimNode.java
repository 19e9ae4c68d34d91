package io.synod.sim;

import io.synod.core.CoreConfig;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.log.InMemoryPaxosLog;
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
    private final SimNetwork network;
    private final Oracle oracle;
    private final PaxosLog log;
    private final Outbox outbox;
    private PaxosNode node;
    private RecordingStateMachine stateMachine;
    private boolean up;
    int incarnation;
    long malformedReported;

    SimNode(final CoreConfig config, final SimNetwork network, final Oracle oracle, final Supplier<PaxosLog> logFactory)
    {
        this.nodeId = config.nodeId();
        this.config = config;
        this.network = network;
        this.oracle = oracle;
        this.log = logFactory.get();
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

    static PaxosLog inMemoryLog(final CoreConfig config)
    {
        return new InMemoryPaxosLog(config.maxPayloadLength(), 64 * 1024);
    }

    void start()
    {
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
        log.close();
    }

    public String toString()
    {
        return up ? node.toString() : "SimNode{id=" + nodeId + ", down, " + log + '}';
    }
}
