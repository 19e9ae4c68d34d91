package io.synod.core;

import io.synod.Role;
import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A core node for unit tests: in-memory log (voting unless a test gives it a learner's log), a state machine that records what it applies and echoes it, an outbox
 * that keeps what is sent, and an error handler that keeps what is reported.
 */
final class TestNode
{
    static final long T = 1_000_000;
    static final int CLUSTER = 7;

    final InMemoryPaxosLog log;
    final Wire.RecordingOutbox outbox = new Wire.RecordingOutbox();
    final List<String> applied = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    final Wire wire = new Wire();
    final PaxosNode node;
    long now = 1_000_000_000;

    TestNode(final int nodeId, final int... members)
    {
        this(nodeId, config(nodeId, members));
    }

    TestNode(final int nodeId, final CoreConfig config)
    {
        this(nodeId, config, new InMemoryPaxosLog(1024, 1 << 20, true));
    }

    /**
     * @param log the node's log; a non-voting one makes a learner, as after a lost disk.
     */
    TestNode(final int nodeId, final CoreConfig config, final InMemoryPaxosLog log)
    {
        this.log = log;
        final StateMachine stateMachine = (slot, timestamp, command, offset, length, response) ->
        {
            applied.add(text(command, offset, length));
            response.put(command, offset, length);
        };
        node = new PaxosNode(config, log, stateMachine, outbox, errors::add);
    }

    static CoreConfig config(final int nodeId, final int... members)
    {
        return new CoreConfig()
            .nodeId(nodeId)
            .memberIds(members)
            .clusterId(CLUSTER)
            .heartbeatIntervalNs(T)
            .maxPayloadLength(1024)
            .maxMessageLength(64 * 1024);
    }

    static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * One duty cycle with no messages: time moves, timeouts are judged.
     */
    void tick(final long advanceNs)
    {
        now += advanceNs;
        node.onTick(now);
        node.doWork();
    }

    /**
     * Start, wait out the election timeout: a node with the highest id among the live ones sends Prepares.
     */
    void standForElection()
    {
        tick(0);
        final long timeout = node.config().electionTimeoutNs();
        tick(timeout / 2);
        hearFollowers();
        tick(timeout - timeout / 2);
    }

    /**
     * Heartbeats from every peer, none of them leading: they are live. While this node leads they follow it (their
     * promise is its ballot), which acknowledges its leadership.
     */
    void hearFollowers()
    {
        final boolean leading = node.role() == Role.LEADER;
        for (final int peer : node.config().memberIds())
        {
            if (peer != node.nodeId())
            {
                if (leading)
                {
                    wire.heartbeatFollowing(peer, node.ballot(), node.nodeId(), 0).toPeer(node);
                }
                else
                {
                    wire.heartbeat(peer, CLUSTER, 0, false, 0).toPeer(node);
                }
            }
        }
    }

    /**
     * Make this node leader of an idle cluster: stand, and get an empty promise from enough peers.
     */
    void becomeLeaderWithEmptyPromisesFrom(final int... peers)
    {
        standForElection();
        for (final int peer : peers)
        {
            wire.promise(peer, node.ballot(), 0, 0).toPeer(node);
        }
        node.doWork();
    }

    /** Silence a node's ResponseWriter use in lambdas. */
    static void unused(final ResponseWriter writer)
    {
    }
}
