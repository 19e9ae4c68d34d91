package io.synod.samples.cluster;

import io.synod.Configuration;
import io.synod.StateMachine;
import io.synod.codecs.CommandEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.RedirectDecoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.core.CoreConfig;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.Role;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A replicated state machine in one thread: real {@link PaxosNode} cores over in-memory logs, a router that hands
 * each node the messages its peers sent in earlier duty cycles, and one client session that sends commands to the
 * leader. Time is simulated: every duty cycle advances a fake clock by {@link #CYCLE_NS}, so a run is deterministic
 * and its leader timestamps are too.
 * <p>
 * A duty cycle of each node follows {@link PaxosNode}'s contract: {@code onTick}, the peer messages that arrived, the
 * client's request if the node is the one the client talks to, {@code doWork}, then {@code log.sync()}. Nothing is
 * lost or reordered: this harness shows a sample state machine replicated, it does not test the protocol (the
 * engine's simulation does that).
 * <p>
 * Not thread safe; one client; {@link #send} waits for each command before the next, so throughput is bounded by
 * the duty cycles a round trip takes, not by the state machine.
 *
 * @param <S> the sample's state machine type, so tests can read each replica's state.
 */
public final class InProcessCluster<S extends StateMachine> implements CommandSender
{
    /** Simulated time per duty cycle. */
    public static final long CYCLE_NS = 50_000;
    /** Heartbeat interval of the cores: elections take a few dozen cycles. */
    public static final long HEARTBEAT_INTERVAL_NS = 1_000_000;
    /** Duty cycles a request may take before {@link #send} gives up. */
    public static final int MAX_CYCLES_PER_REQUEST = 100_000;

    private static final long CLIENT_ID = 1_000;
    private static final long SESSION_CORRELATION_ID = 1;

    private final PaxosNode[] nodes;
    private final InMemoryPaxosLog[] logs;
    private final List<S> replicas = new ArrayList<>();
    private final ExpandableRingBuffer[] peerInboxes;
    private final ExpandableRingBuffer clientInbox = new ExpandableRingBuffer();
    private final ExpandableRingBuffer.MessageConsumer[] peerDeliverers;
    private final ExpandableRingBuffer.MessageConsumer clientDeliverer = this::onClientMessage;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SessionOpenEncoder sessionOpenEncoder = new SessionOpenEncoder();
    private final CommandEncoder commandEncoder = new CommandEncoder();
    private final ResponseDecoder responseDecoder = new ResponseDecoder();
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer responseBytes = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer responseView = new UnsafeBuffer(0, 0);

    private long nowNs = 1_000_000_000L;
    private long cycles;
    private long errorsReported;
    private int requestLength;
    private boolean requestPending;
    private long awaitedSequence;
    private boolean answered;
    private ResponseCode answeredCode;
    private long answeredSessionId;
    private int answeredLength;
    private long sessionId = -1;
    private long sequence;

    /**
     * Start the nodes and wait until one leads.
     *
     * @param nodeCount        members, ids 0 to nodeCount - 1.
     * @param maxPayloadLength largest command and response in bytes.
     * @param newReplica       makes one empty state machine per node.
     */
    public InProcessCluster(final int nodeCount, final int maxPayloadLength, final Supplier<S> newReplica)
    {
        final int[] memberIds = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            memberIds[i] = i;
        }
        nodes = new PaxosNode[nodeCount];
        logs = new InMemoryPaxosLog[nodeCount];
        peerInboxes = new ExpandableRingBuffer[nodeCount];
        peerDeliverers = new ExpandableRingBuffer.MessageConsumer[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            final int nodeId = i;
            final S replica = newReplica.get();
            replicas.add(replica);
            logs[i] = new InMemoryPaxosLog(maxPayloadLength);
            peerInboxes[i] = new ExpandableRingBuffer();
            final CoreConfig config = new CoreConfig()
                .nodeId(nodeId)
                .memberIds(memberIds)
                .heartbeatIntervalNs(HEARTBEAT_INTERVAL_NS)
                .maxPayloadLength(maxPayloadLength)
                .maxMessageLength(Math.max(Configuration.MAX_MESSAGE_LENGTH_DEFAULT, 2 * maxPayloadLength + 1024));
            nodes[i] = new PaxosNode(config, logs[i], replica, new Router(), throwable -> errorsReported++);
            peerDeliverers[i] = (buffer, offset, length, headOffset) ->
            {
                nodes[nodeId].onPeerMessage(buffer, offset, length);
                return true;
            };
        }
        awaitLeader();
    }

    /**
     * Send a command on this cluster's client session (opened on first use) to the leader, run duty cycles until it
     * is applied, and answer its response. Retries on BUSY and follows redirects, keeping the sequence.
     */
    public DirectBuffer send(final DirectBuffer command, final int offset, final int length)
    {
        if (sessionId < 0)
        {
            openSession();
        }
        sequence++;
        commandEncoder.wrapAndApplyHeader(request, 0, headerEncoder)
            .sessionId(sessionId)
            .sequence(sequence)
            .putPayload(command, offset, length);
        requestLength = MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength();
        final ResponseCode code = await(sequence);
        if (code != ResponseCode.OK)
        {
            throw new IllegalStateException("command sequence " + sequence + " of session " + sessionId +
                ": expected OK, answered " + code);
        }
        responseView.wrap(responseBytes, 0, answeredLength);
        return responseView;
    }

    /**
     * Run duty cycles until every node has applied every slot the leader has chosen and the leader has chosen all it
     * proposed: the replicas then hold the same commands.
     *
     * @throws IllegalStateException if that does not happen within {@link #MAX_CYCLES_PER_REQUEST} cycles.
     */
    public void awaitReplicasApplied()
    {
        for (int i = 0; i < MAX_CYCLES_PER_REQUEST; i++)
        {
            if (replicasCaughtUp())
            {
                return;
            }
            runCycle();
        }
        throw new IllegalStateException("replicas did not catch up within " + MAX_CYCLES_PER_REQUEST +
            " cycles: " + describeNodes());
    }

    /**
     * @param nodeId 0 to nodeCount - 1.
     * @return the state machine of that node.
     */
    public S replica(final int nodeId)
    {
        return replicas.get(nodeId);
    }

    /**
     * @param nodeId 0 to nodeCount - 1.
     * @return the core of that node, to read its role and indexes.
     */
    public PaxosNode node(final int nodeId)
    {
        return nodes[nodeId];
    }

    /** @return members. */
    public int nodeCount()
    {
        return nodes.length;
    }

    /** @return duty cycles run so far. */
    public long cycles()
    {
        return cycles;
    }

    /** @return messages the nodes reported as dropped (malformed or from elsewhere): 0 in a healthy run. */
    public long errorsReported()
    {
        return errorsReported;
    }

    /** @return each node's role, indexes and ballot, for failure messages. */
    public String describeNodes()
    {
        final StringBuilder text = new StringBuilder();
        for (final PaxosNode node : nodes)
        {
            text.append(node).append(' ');
        }
        return text.toString();
    }

    private void openSession()
    {
        sessionOpenEncoder.wrapAndApplyHeader(request, 0, headerEncoder).correlationId(SESSION_CORRELATION_ID)
            .window(1); // one command at a time
        requestLength = MessageHeaderEncoder.ENCODED_LENGTH + sessionOpenEncoder.encodedLength();
        final ResponseCode code = await(SESSION_CORRELATION_ID);
        if (code != ResponseCode.SESSION_OPENED)
        {
            throw new IllegalStateException("session open: expected SESSION_OPENED, answered " + code);
        }
        sessionId = answeredSessionId;
    }

    private ResponseCode await(final long awaited)
    {
        awaitedSequence = awaited;
        answered = false;
        requestPending = true;
        for (int i = 0; i < MAX_CYCLES_PER_REQUEST; i++)
        {
            runCycle();
            clientInbox.consume(clientDeliverer, Integer.MAX_VALUE);
            if (answered)
            {
                return answeredCode;
            }
        }
        throw new IllegalStateException("request " + awaited + " not answered within " + MAX_CYCLES_PER_REQUEST +
            " cycles: " + describeNodes());
    }

    private void runCycle()
    {
        nowNs += CYCLE_NS;
        cycles++;
        for (int i = 0; i < nodes.length; i++)
        {
            final PaxosNode node = nodes[i];
            node.onTick(nowNs);
            peerInboxes[i].consume(peerDeliverers[i], Integer.MAX_VALUE);
            if (requestPending && node.role() == Role.LEADER)
            {
                requestPending = false;
                node.onClientMessage(CLIENT_ID, request, 0, requestLength);
            }
            node.doWork();
            logs[i].sync();
        }
    }

    private boolean onClientMessage(
        final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        headerDecoder.wrap(buffer, offset);
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (headerDecoder.templateId())
        {
            case ResponseDecoder.TEMPLATE_ID:
                responseDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
                if (responseDecoder.sequence() != awaitedSequence || answered)
                {
                    break; // an answer to an earlier try
                }
                final ResponseCode code = responseDecoder.code();
                if (code == ResponseCode.BUSY)
                {
                    requestPending = true;
                    break;
                }
                answered = true;
                answeredCode = code;
                answeredSessionId = responseDecoder.sessionId();
                answeredLength = responseDecoder.payloadLength();
                responseDecoder.getPayload(responseBytes, 0, answeredLength);
                break;

            case RedirectDecoder.TEMPLATE_ID:
                requestPending = !answered; // retried on whichever node leads at the next cycle
                break;

            default:
                break;
        }
        return true;
    }

    private void awaitLeader()
    {
        for (int i = 0; i < MAX_CYCLES_PER_REQUEST; i++)
        {
            runCycle();
            final int leader = leaderId();
            if (leader >= 0 && allFollow(leader))
            {
                return;
            }
        }
        throw new IllegalStateException("no leader within " + MAX_CYCLES_PER_REQUEST + " cycles: " + describeNodes());
    }

    private int leaderId()
    {
        for (final PaxosNode node : nodes)
        {
            if (node.role() == Role.LEADER)
            {
                return node.nodeId();
            }
        }
        return -1;
    }

    private boolean allFollow(final int leader)
    {
        for (final PaxosNode node : nodes)
        {
            if (node.leaderId() != leader)
            {
                return false;
            }
        }
        return true;
    }

    private boolean replicasCaughtUp()
    {
        final int leader = leaderId();
        if (leader < 0)
        {
            return false;
        }
        final long chosen = nodes[leader].commitIndex();
        if (chosen != nodes[leader].log().nextSlot())
        {
            return false;
        }
        for (final PaxosNode node : nodes)
        {
            if (node.appliedIndex() != chosen)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The nodes' outbox: peer messages wait in the peer's inbox for its next turn; client messages in the client's.
     */
    private final class Router implements Outbox
    {
        public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            peerInboxes[nodeId].append(buffer, offset, length);
        }

        public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
        {
            clientInbox.append(buffer, offset, length);
        }
    }
}
