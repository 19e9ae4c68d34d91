package io.synod.core;

import io.synod.Role;
import io.synod.StateMachine;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A few real cores wired together by hand for scripted scenarios: a reliable network in which what a node sends in a
 * duty cycle arrives in the next one (after the sender's log sync, as in the runtime), nodes that are stopped,
 * started again over the log they kept, or given an empty log (a lost disk), and one client. Unlike the seeded
 * simulation, every fault is placed by the test.
 * <p>
 * Links can be cut one way ({@link #block(int, int, boolean)}), and a link can be given a byte budget per duty cycle
 * that drops the oldest messages beyond it ({@link #linkCapBytes(int)}), as the runtime's bounded per-peer
 * {@code DestinationQueue} does when a burst exceeds what the publication takes.
 */
final class ScriptedCluster
{
    static final long T = TestNode.T;
    static final long STEP_NS = T / 4;
    private static final long CLIENT_ID = 1000;
    private static final long SESSION_CORRELATION_ID = 1_000_000;

    private final boolean bootstrap;
    private final int size;
    private final InMemoryPaxosLog[] logs;
    private final boolean[] startedBefore;
    private final boolean[][] blocked;
    private final PaxosNode[] nodes;
    private final List<TreeMap<Long, String>> applied = new ArrayList<>();
    private final List<Wire.Sent> responses = new ArrayList<>();
    private List<Envelope> inFlight = new ArrayList<>();
    private List<Envelope> sending = new ArrayList<>();
    private final Wire wire = new Wire();
    private final java.util.Map<String, Long> bytesSent = new java.util.HashMap<>();
    private final java.util.Map<String, Integer> sentCount = new java.util.HashMap<>();
    private int linkCapBytes = Integer.MAX_VALUE;
    private long linkDrops;
    private long twoLeaderSteps;
    private long now = 1_000_000_000L;
    private int okCount;

    private static final class Envelope
    {
        final int from;
        final int to;
        final UnsafeBuffer bytes;
        final boolean fromClient;

        Envelope(
            final int from,
            final int to,
            final DirectBuffer buffer,
            final int offset,
            final int length,
            final boolean fromClient)
        {
            this.from = from;
            this.to = to;
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            this.bytes = new UnsafeBuffer(copy);
            this.fromClient = fromClient;
        }
    }

    /**
     * @param size      members 0..size-1.
     * @param bootstrap every node's config at its first start (as an operator is told to do): true makes the first,
     *                  empty logs vote at once.
     */
    ScriptedCluster(final int size, final boolean bootstrap)
    {
        this.size = size;
        this.bootstrap = bootstrap;
        this.logs = new InMemoryPaxosLog[size];
        this.nodes = new PaxosNode[size];
        this.startedBefore = new boolean[size];
        this.blocked = new boolean[size][size];
        for (int i = 0; i < size; i++)
        {
            logs[i] = new InMemoryPaxosLog(1024);
            applied.add(new TreeMap<>());
        }
    }

    /**
     * Start (or restart) a node over the log it has; bootstrap is set only at its first start.
     */
    void start(final int id)
    {
        final int[] members = new int[size];
        for (int i = 0; i < size; i++)
        {
            members[i] = i;
        }
        final CoreConfig config = TestNode.config(id, members).bootstrap(bootstrap && !startedBefore[id]);
        startedBefore[id] = true;
        final TreeMap<Long, String> appliedHere = new TreeMap<>();
        applied.set(id, appliedHere);
        final StateMachine stateMachine = (slot, timestamp, command, offset, length, response) ->
        {
            appliedHere.put(slot, TestNode.text(command, offset, length));
            response.put(command, offset, length);
        };
        final Outbox outbox = new Outbox()
        {
            public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
            {
                sending.add(new Envelope(id, nodeId, buffer, offset, length, false));
            }

            public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
            {
                final Wire.Sent sent = new Wire.Sent(true, clientId, buffer, offset, length);
                if (sent.templateId == ResponseDecoder.TEMPLATE_ID && decodeResponse(sent).code() == ResponseCode.OK)
                {
                    okCount++;
                }
                responses.add(sent);
            }
        };
        nodes[id] = new PaxosNode(config, logs[id], stateMachine, outbox, Throwable::printStackTrace);
    }

    /**
     * Crash a node: it stops, its log is kept as it is.
     */
    void stop(final int id)
    {
        nodes[id] = null;
    }

    /**
     * The node's disk is lost: the next {@link #start(int)} finds an empty log, created the way a node creates one.
     */
    void wipe(final int id)
    {
        logs[id] = new InMemoryPaxosLog(1024);
    }

    /**
     * Cut or restore the link between two nodes, both ways.
     */
    void partition(final int a, final int b, final boolean cut)
    {
        blocked[a][b] = cut;
        blocked[b][a] = cut;
    }

    /**
     * Cut or restore one direction of a link: messages from one node to the other are lost.
     */
    void block(final int from, final int to, final boolean cut)
    {
        blocked[from][to] = cut;
    }

    /**
     * Bound what each link carries per duty cycle: beyond the cap, the oldest messages sent in that cycle are dropped,
     * as a full drop-oldest queue does.
     */
    void linkCapBytes(final int capBytes)
    {
        this.linkCapBytes = capBytes;
    }

    /** @return duty cycles at whose end more than one node had the role LEADER, since the last reset. */
    long twoLeaderSteps()
    {
        return twoLeaderSteps;
    }

    void resetTwoLeaderSteps()
    {
        twoLeaderSteps = 0;
    }

    /** @return messages dropped by the link cap so far. */
    long linkDrops()
    {
        return linkDrops;
    }

    /**
     * @return bytes of messages of this SBE template a node sent to another so far (before any cap or cut).
     */
    long bytesSent(final int from, final int to, final int templateId)
    {
        return bytesSent.getOrDefault(from + "->" + to + ":" + templateId, 0L);
    }

    /**
     * @return messages of this SBE template a node sent to another so far (before any cap or cut).
     */
    int sent(final int from, final int to, final int templateId)
    {
        return sentCount.getOrDefault(from + "->" + to + ":" + templateId, 0);
    }

    /**
     * Send a SessionOpen to node id without waiting; see {@link #sessionsOpened()}.
     */
    void sendSessionOpen(final int id, final long correlationId)
    {
        wire.sessionOpen(correlationId);
        inFlight.add(new Envelope(-1, id, wire.buffer(), 0, wire.length, true));
    }

    /**
     * @return session id (its slot) to the correlation id of the open acknowledged for it, from every
     * SESSION_OPENED the client received.
     * @throws AssertionError if two different opens were acknowledged at the same slot.
     */
    TreeMap<Long, Long> sessionsOpened()
    {
        final TreeMap<Long, Long> opened = new TreeMap<>();
        for (final Wire.Sent sent : responses)
        {
            if (sent.templateId == ResponseDecoder.TEMPLATE_ID)
            {
                final ResponseDecoder response = decodeResponse(sent);
                if (response.code() == ResponseCode.SESSION_OPENED)
                {
                    final Long previous = opened.put(response.sessionId(), response.sequence());
                    if (previous != null && previous != response.sequence())
                    {
                        throw new AssertionError("slot " + response.sessionId() + " acknowledged for open " +
                            previous + " and for open " + response.sequence() + ": " + this);
                    }
                }
            }
        }
        return opened;
    }

    PaxosNode node(final int id)
    {
        return nodes[id];
    }

    InMemoryPaxosLog log(final int id)
    {
        return logs[id];
    }

    /**
     * @return slot to command text, as applied by the node's current incarnation.
     */
    TreeMap<Long, String> applied(final int id)
    {
        return applied.get(id);
    }

    /**
     * One duty cycle of every running node: tick, read what was sent in the previous cycle, work, sync.
     */
    void step()
    {
        now += STEP_NS;
        final List<Envelope> arriving = inFlight;
        inFlight = new ArrayList<>();
        for (final PaxosNode node : nodes)
        {
            if (node != null)
            {
                node.onTick(now);
            }
        }
        for (final Envelope envelope : arriving)
        {
            final PaxosNode node = nodes[envelope.to];
            if (node == null || (envelope.from >= 0 && blocked[envelope.from][envelope.to]))
            {
                continue; // a stopped node or a cut link loses what was sent
            }
            if (envelope.fromClient)
            {
                node.onClientMessage(CLIENT_ID, envelope.bytes, 0, envelope.bytes.capacity());
            }
            else
            {
                node.onPeerMessage(envelope.bytes, 0, envelope.bytes.capacity());
            }
        }
        for (int i = 0; i < size; i++)
        {
            if (nodes[i] != null)
            {
                nodes[i].doWork();
                logs[i].sync();
            }
        }
        inFlight.addAll(capped(sending));
        sending = new ArrayList<>();
        int leaders = 0;
        for (final PaxosNode node : nodes)
        {
            leaders += node != null && node.role() == Role.LEADER ? 1 : 0;
        }
        twoLeaderSteps += leaders > 1 ? 1 : 0;
    }

    /**
     * Keep, per link, the newest messages of the cycle that fit in the cap; count what every link was offered.
     */
    private List<Envelope> capped(final List<Envelope> sent)
    {
        final long[][] budget = new long[size][size];
        final boolean[] keep = new boolean[sent.size()];
        for (int i = sent.size() - 1; i >= 0; i--)
        {
            final Envelope envelope = sent.get(i);
            final int length = envelope.bytes.capacity();
            final int templateId = new MessageHeaderDecoder().wrap(envelope.bytes, 0).templateId();
            final String key = envelope.from + "->" + envelope.to + ":" + templateId;
            bytesSent.merge(key, (long)length, Long::sum);
            sentCount.merge(key, 1, Integer::sum);
            budget[envelope.from][envelope.to] += length;
            keep[i] = budget[envelope.from][envelope.to] <= linkCapBytes;
            if (!keep[i])
            {
                linkDrops++;
            }
        }
        final List<Envelope> kept = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++)
        {
            if (keep[i])
            {
                kept.add(sent.get(i));
            }
        }
        return kept;
    }

    void runFor(final long ns)
    {
        for (long elapsed = 0; elapsed < ns; elapsed += STEP_NS)
        {
            step();
        }
    }

    /**
     * Step until the condition holds.
     *
     * @throws AssertionError naming what was awaited if it does not hold within the bound.
     */
    void runUntil(final BooleanSupplier condition, final long maxNs, final String what)
    {
        for (long elapsed = 0; !condition.getAsBoolean(); elapsed += STEP_NS)
        {
            if (elapsed > maxNs)
            {
                throw new AssertionError("not within " + maxNs / T + " heartbeats: " + what + "; " + this);
            }
            step();
        }
    }

    /**
     * @return the id of a running node in the LEADER role, or -1.
     */
    int leader()
    {
        for (int i = 0; i < size; i++)
        {
            if (nodes[i] != null && nodes[i].role() == Role.LEADER)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Open a session at node id and wait for it.
     *
     * @return the session id.
     */
    long openSession(final int id)
    {
        wire.sessionOpen(SESSION_CORRELATION_ID);
        inFlight.add(new Envelope(-1, id, wire.buffer(), 0, wire.length, true));
        final ResponseDecoder response = awaitResponse(-1, SESSION_CORRELATION_ID, 100 * T);
        if (response == null || response.code() != ResponseCode.SESSION_OPENED)
        {
            throw new AssertionError("session not opened at node " + id + ": " + this);
        }
        return response.sessionId();
    }

    /**
     * Send a command to node id and wait up to maxNs for its answer.
     *
     * @return the slot it was applied at if answered OK, else -1.
     */
    long command(final int id, final long sessionId, final long sequence, final String text, final long maxNs)
    {
        wire.command(sessionId, sequence, text.getBytes(StandardCharsets.US_ASCII));
        inFlight.add(new Envelope(-1, id, wire.buffer(), 0, wire.length, true));
        final ResponseDecoder response = awaitResponse(sessionId, sequence, maxNs);
        return response != null && response.code() == ResponseCode.OK ? response.slot() : -1;
    }

    /**
     * @return how many Responses with code OK the client received so far.
     */
    int okCount()
    {
        return okCount;
    }

    private ResponseDecoder awaitResponse(final long sessionId, final long sequence, final long maxNs)
    {
        for (long elapsed = 0; elapsed <= maxNs; elapsed += STEP_NS)
        {
            step();
            for (final Wire.Sent sent : responses)
            {
                if (sent.templateId == ResponseDecoder.TEMPLATE_ID)
                {
                    final ResponseDecoder response = decodeResponse(sent);
                    if (response.sequence() == sequence &&
                        (response.sessionId() == sessionId || response.code() == ResponseCode.SESSION_OPENED))
                    {
                        responses.clear(); // answers to earlier requests are of no interest any more
                        return response;
                    }
                }
            }
        }
        return null;
    }

    private static ResponseDecoder decodeResponse(final Wire.Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new ResponseDecoder().wrap(
            sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }

    public String toString()
    {
        final StringBuilder builder = new StringBuilder("cluster:");
        for (int i = 0; i < size; i++)
        {
            builder.append(' ').append(nodes[i] == null ? "node " + i + " down" : nodes[i].toString())
                .append(" voting=").append(logs[i].voting());
        }
        return builder.toString();
    }
}
