package io.synod.testing;

import io.synod.Role;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.core.Ballot;
import io.synod.core.CoreConfig;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Real protocol cores wired together for step-by-step scenarios: each member with an in-memory log and an
 * {@link EchoStateMachine}, one clock for all, a network that holds every message until the test delivers or drops
 * it, and one client. Nothing is random and nothing happens unless the test says so, so the same script gives the
 * same messages every time. The interaction scripts (docs/testing.md) and the Java scenario tests share it.
 * <p>
 * A node's duty cycle is as in the runtime: tick, the messages that arrived, {@code doWork}, the log's
 * {@code sync()}, then what it sent leaves, into the network's pending queue. Everything the nodes send, and every
 * change of role, failure and reported error, is written to a trace that the caller takes with {@link #takeTrace()}.
 * Client requests go through the same pending queue; answers reach the client at once.
 * <p>
 * Faults: those of the {@link InteractionNetwork} (cut, held and capped links), crashes, restarts over the kept log,
 * and lost disks.
 */
public final class InteractionCluster
{
    /** The heartbeat interval: 1 ms; the election timeout is twice that. */
    public static final long T = 1_000_000L;
    /** One tick, one duty cycle: a quarter of a heartbeat interval. */
    public static final long STEP_NS = T / 4;
    /** The client's endpoint name in the trace and in link patterns. */
    public static final String CLIENT = "client";
    static final int CLIENT_ID = -1;
    private static final int CLUSTER_ID = 7;
    private static final long CLOCK_ORIGIN = 1_000_000_000L;
    private static final long CLIENT_HANDLE = 1000;
    private static final long SESSION_CORRELATION_ID = 1_000_000;
    private static final int MAX_PAYLOAD = 1024;

    private final int[] members;
    private final InMemoryPaxosLog[] logs;
    private final PaxosNode[] nodes;
    private final Role[] roles;
    private final boolean[] failedReported;
    private final boolean[] startedBefore;
    private final List<TreeMap<Long, String>> applied = new ArrayList<>();
    private final List<Message> sentThisCycle = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private final ScriptClient client = new ScriptClient();
    private final InteractionNetwork network;
    private final boolean bootstrap;
    private boolean showHeartbeats;
    private boolean timed;
    private long twoLeaderSteps;
    private long now = CLOCK_ORIGIN;

    /**
     * @param memberIds the members, ascending; none is started yet.
     * @param bootstrap whether their first start forms a new cluster at once (the empty logs vote); false makes a
     *                  node with an empty log a learner that must hear all the others first.
     */
    public InteractionCluster(final int[] memberIds, final boolean bootstrap)
    {
        this.members = memberIds.clone();
        this.bootstrap = bootstrap;
        final int slots = Arrays.stream(members).max().orElse(0) + 1;
        logs = new InMemoryPaxosLog[slots];
        nodes = new PaxosNode[slots];
        roles = new Role[slots];
        failedReported = new boolean[slots];
        startedBefore = new boolean[slots];
        network = new InteractionNetwork(slots);
        for (int id = 0; id < slots; id++)
        {
            applied.add(new TreeMap<>());
        }
        for (final int id : members)
        {
            logs[id] = new InMemoryPaxosLog(MAX_PAYLOAD);
        }
    }

    /**
     * @return members 0..size-1, none started yet, as the Java scenario tests number them.
     */
    public static InteractionCluster fromZero(final int size, final boolean bootstrap)
    {
        return new InteractionCluster(range(0, size), bootstrap);
    }

    /**
     * @return members 1..size, all started, as the interaction scripts number them.
     */
    public static InteractionCluster startedFromOne(final int size, final boolean bootstrap)
    {
        final InteractionCluster cluster = new InteractionCluster(range(1, size), bootstrap);
        for (final int id : cluster.members)
        {
            cluster.start(id);
        }
        return cluster;
    }

    private static int[] range(final int first, final int size)
    {
        final int[] ids = new int[size];
        for (int i = 0; i < size; i++)
        {
            ids[i] = first + i;
        }
        return ids;
    }

    static String name(final int endpoint)
    {
        return endpoint == CLIENT_ID ? CLIENT : String.valueOf(endpoint);
    }

    /** @return the node, or null while it is down. */
    public PaxosNode node(final int id)
    {
        return nodes[id];
    }

    /** @return the node's log, kept while it is down. */
    public InMemoryPaxosLog log(final int id)
    {
        return logs[id];
    }

    /** @return slot to command text, as applied by the node's current incarnation. */
    public TreeMap<Long, String> applied(final int id)
    {
        return applied.get(id);
    }

    /** @param show whether the trace shows heartbeats (they are sent and delivered either way). */
    public void showHeartbeats(final boolean show)
    {
        this.showHeartbeats = show;
    }

    boolean showsHeartbeats()
    {
        return showHeartbeats;
    }

    /** @return the member ids, ascending. */
    public int[] members()
    {
        return members.clone();
    }

    /** @return what happened since the last call, one line per event, and forget it. */
    public List<String> takeTrace()
    {
        final List<String> taken = new ArrayList<>(trace);
        trace.clear();
        return taken;
    }

    // ---------------------------------------------------------------- nodes

    /**
     * Start a node over the log it has (a fresh state machine applies the log's chosen entries again); bootstrap is
     * set only at its first start, as an operator would. Messages sent to it while it was down are lost.
     */
    public void start(final int id)
    {
        if (nodes[id] != null)
        {
            throw new IllegalStateException("node " + id + " is running");
        }
        final CoreConfig config = new CoreConfig()
            .nodeId(id)
            .memberIds(members)
            .clusterId(CLUSTER_ID)
            .heartbeatIntervalNs(T)
            .maxPayloadLength(MAX_PAYLOAD)
            .maxMessageLength(64 * 1024)
            .incarnation(startedBefore[id] ? id * 1000L + 1 : id * 1000L)
            .bootstrap(bootstrap && !startedBefore[id]);
        startedBefore[id] = true;
        network.lose(id);
        final TreeMap<Long, String> appliedHere = new TreeMap<>();
        applied.set(id, appliedHere);
        final Outbox outbox = new Outbox()
        {
            public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
            {
                send(id, nodeId, buffer, offset, length);
            }

            public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
            {
                send(id, CLIENT_ID, buffer, offset, length);
            }
        };
        nodes[id] = new PaxosNode(
            config, logs[id], new EchoStateMachine(appliedHere), outbox, error -> event(id, "error: " + error));
        roles[id] = nodes[id].role();
        failedReported[id] = false;
    }

    /**
     * Stop a node as a process crash does: its log stays as it is; what was on its way to it is lost (a new process
     * has new connections), what it sent before is still in the network.
     */
    public void stop(final int id)
    {
        nodes[id] = null;
        network.lose(id);
    }

    /** The node's disk is lost: it stops as in {@link #stop(int)}, and its next start finds an empty log. */
    public void wipe(final int id)
    {
        stop(id);
        logs[id] = new InMemoryPaxosLog(MAX_PAYLOAD);
    }

    /** @return the network: links, held messages, caps and counts. */
    public InteractionNetwork network()
    {
        return network;
    }

    /** @return duty cycles ({@link #step()}) at whose end more than one node had the role LEADER, since the reset. */
    public long twoLeaderSteps()
    {
        return twoLeaderSteps;
    }

    /** Start counting {@link #twoLeaderSteps()} again. */
    public void resetTwoLeaderSteps()
    {
        twoLeaderSteps = 0;
    }

    // ---------------------------------------------------------------- time and the network

    /**
     * One duty cycle of every running node, {@link #STEP_NS} later, delivering nothing: what they send waits.
     */
    public void tick()
    {
        cycle(List.of());
    }

    /**
     * One duty cycle of every running node, {@link #STEP_NS} later, in which every message pending before it arrives
     * (as in the runtime: what a node sends in one cycle is read by the others in the next), except on held links.
     */
    public void step()
    {
        cycle(network.take(message -> !network.isHeld(message), Integer.MAX_VALUE));
        int leaders = 0;
        for (final int id : members)
        {
            leaders += nodes[id] != null && nodes[id].role() == Role.LEADER ? 1 : 0;
        }
        twoLeaderSteps += leaders > 1 ? 1 : 0;
    }

    private void cycle(final List<Message> arriving)
    {
        timed = true;
        try
        {
            now += STEP_NS;
            for (final int id : members)
            {
                if (nodes[id] != null)
                {
                    nodes[id].onTick(now);
                }
            }
            deliverAll(arriving);
            for (final int id : members)
            {
                cycleEnd(id);
            }
            flush();
        }
        finally
        {
            timed = false;
        }
    }

    /** Run {@link #step()} for about this long. */
    public void runFor(final long ns)
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
    public void runUntil(final BooleanSupplier condition, final long maxNs, final String what)
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
     * Deliver the first count pending messages that match (held links too), in the order they were sent; each node
     * that received one then ends its duty cycle (doWork, sync, send) without time moving.
     *
     * @return how many were delivered or lost on a cut link or at a stopped node.
     */
    public int deliver(final Predicate<Message> which, final int count)
    {
        final List<Message> taken = network.take(which, count);
        deliverAll(taken);
        for (final int id : members)
        {
            if (taken.stream().anyMatch(message -> message.to == id))
            {
                cycleEnd(id);
            }
        }
        flush();
        return taken.size();
    }

    /**
     * Drop the first count pending messages that match.
     *
     * @return the messages dropped.
     */
    public List<Message> drop(final Predicate<Message> which, final int count)
    {
        return network.take(which, count);
    }

    private void deliverAll(final List<Message> arriving)
    {
        for (final Message message : arriving)
        {
            final PaxosNode node = nodes[message.to];
            final boolean cut = network.isCut(message);
            if (node == null || cut)
            {
                if (showHeartbeats || !message.isHeartbeat())
                {
                    final String why = cut ? " (link cut)" : " (" + message.to + " is down)";
                    trace.add(prefix() + "dropped " + message + why);
                }
                continue;
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(message.bytes);
            if (message.from == CLIENT_ID)
            {
                node.onClientMessage(CLIENT_HANDLE, buffer, 0, message.bytes.length);
            }
            else
            {
                node.onPeerMessage(buffer, 0, message.bytes.length);
            }
        }
    }

    /**
     * The end of a node's duty cycle: work, then make durable; its messages leave at {@link #flush()}.
     */
    private void cycleEnd(final int id)
    {
        final PaxosNode node = nodes[id];
        if (node == null)
        {
            return;
        }
        node.doWork();
        logs[id].sync();
        if (node.role() != roles[id])
        {
            event(id, roles[id] + " -> " + node.role() + " at ballot " + Ballot.toString(node.ballot()));
            roles[id] = node.role();
        }
        if (node.isFailed() && !failedReported[id])
        {
            failedReported[id] = true;
            event(id, "FAILED (fail-stop): " + node.failure());
        }
    }

    /**
     * What the nodes sent in this cycle leaves: traced, capped per link, queued; answers go to the client at once.
     */
    private void flush()
    {
        traceSent();
        final List<Message> toPeers = new ArrayList<>();
        for (final Message message : sentThisCycle)
        {
            if (message.to == CLIENT_ID)
            {
                client.onMessage(message.bytes);
            }
            else
            {
                toPeers.add(message);
            }
        }
        network.addCycle(toPeers);
        sentThisCycle.clear();
    }

    private void send(final int from, final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        sentThisCycle.add(new Message(from, to, bytes, MessageFormat.describe(bytes, members)));
    }

    /**
     * One line per distinct message: a broadcast of the same message to several peers is written once, as
     * {@code 3->1,2 Prepare 1.3 from=0}.
     */
    private void traceSent()
    {
        final boolean[] done = new boolean[sentThisCycle.size()];
        for (int i = 0; i < sentThisCycle.size(); i++)
        {
            final Message message = sentThisCycle.get(i);
            if (done[i] || (!showHeartbeats && message.isHeartbeat()))
            {
                continue;
            }
            final List<String> to = new ArrayList<>(List.of(name(message.to)));
            for (int j = i + 1; j < sentThisCycle.size(); j++)
            {
                final Message other = sentThisCycle.get(j);
                if (!done[j] && other.from == message.from && other.text.equals(message.text) &&
                    !to.contains(name(other.to)))
                {
                    to.add(name(other.to));
                    done[j] = true;
                }
            }
            trace.add(prefix() + name(message.from) + "->" + String.join(",", to) + " " + message.text);
        }
    }

    private void event(final int id, final String what)
    {
        trace.add(prefix() + id + " " + what);
    }

    private String prefix()
    {
        return timed ? time() + " " : "";
    }

    /** @return the time since the start as "12.25ms". */
    public String time()
    {
        final long micros = (now - CLOCK_ORIGIN) / 1000;
        return String.format("%d.%02dms", micros / 1000, (micros % 1000) / 10);
    }

    // ---------------------------------------------------------------- the client

    /** Queue a SessionOpen from the client to a node, with the next correlation id. */
    public void clientOpen(final int id, final int window)
    {
        clientSends(id, client.sessionOpen(window));
    }

    /** Queue a SessionOpen from the client to a node without waiting; see {@link #sessionsOpened()}. */
    public void sendSessionOpen(final int id, final long correlationId)
    {
        clientSends(id, client.sessionOpen(correlationId, 1));
    }

    /**
     * Queue a Command from the client to a node, in the session the client opened last.
     *
     * @param sequence the command's sequence, or -1 for the next one.
     */
    public void propose(final int id, final String text, final long sequence)
    {
        clientSends(id, client.command(-1, sequence, text));
    }

    private void clientSends(final int id, final byte[] bytes)
    {
        final Message message = new Message(CLIENT_ID, id, bytes, MessageFormat.describe(bytes, members));
        network.add(message);
        trace.add(message.toString());
    }

    /**
     * Open a session at a node and step until it is open.
     *
     * @return the session id.
     */
    public long openSession(final int id)
    {
        sendSessionOpen(id, SESSION_CORRELATION_ID);
        final ResponseDecoder response = awaitResponse(-1, SESSION_CORRELATION_ID, 100 * T);
        if (response == null || response.code() != ResponseCode.SESSION_OPENED)
        {
            throw new AssertionError("session not opened at node " + id + ": " + this);
        }
        return response.sessionId();
    }

    /**
     * Send a command to a node and step up to maxNs for its answer.
     *
     * @return the slot it was applied at if answered OK, else -1.
     */
    public long command(final int id, final long sessionId, final long sequence, final String text, final long maxNs)
    {
        clientSends(id, client.command(sessionId, sequence, text));
        final ResponseDecoder response = awaitResponse(sessionId, sequence, maxNs);
        return response != null && response.code() == ResponseCode.OK ? response.slot() : -1;
    }

    private ResponseDecoder awaitResponse(final long sessionId, final long sequence, final long maxNs)
    {
        for (long elapsed = 0; elapsed <= maxNs; elapsed += STEP_NS)
        {
            step();
            final ResponseDecoder response = client.take(sessionId, sequence);
            if (response != null)
            {
                return response;
            }
        }
        return null;
    }

    /** @return how many Responses with code OK the client received so far. */
    public int okCount()
    {
        return client.okCount();
    }

    /**
     * @return session id (its slot) to the correlation id of the open acknowledged for it, from every
     * SESSION_OPENED the client received; two different opens acknowledged at one slot fail when received.
     */
    public TreeMap<Long, Long> sessionsOpened()
    {
        return client.sessionsOpened();
    }

    /** @return the id of a running node in the LEADER role, or -1. */
    public int leader()
    {
        for (final int id : members)
        {
            if (nodes[id] != null && nodes[id].role() == Role.LEADER)
            {
                return id;
            }
        }
        return -1;
    }

    public String toString()
    {
        final StringBuilder builder = new StringBuilder("cluster at " + time() + ":");
        for (final int id : members)
        {
            builder.append(' ').append(nodes[id] == null ? "node " + id + " down" : nodes[id].toString())
                .append(" voting=").append(logs[id].voting());
        }
        return builder.toString();
    }
}
