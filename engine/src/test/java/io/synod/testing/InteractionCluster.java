package io.synod.testing;

import io.synod.Role;
import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.codecs.CommandEncoder;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.core.Ballot;
import io.synod.core.CoreConfig;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.LogEntry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Real protocol cores wired together for step-by-step scenarios: members {@code 1..n}, each with an in-memory log and
 * a state machine that echoes what it applies, one clock for all, a network that holds every message until the test
 * delivers or drops it, and one client. Nothing is random and nothing happens unless the test says so, so the same
 * script gives the same messages every time.
 * <p>
 * A node's duty cycle is as in the runtime: tick, the messages that arrived, {@code doWork}, the log's
 * {@code sync()}, then what it sent leaves (into the network's pending queue). Everything the nodes send, and every
 * change of role, failure and reported error, is written to a trace that the caller takes with {@link #takeTrace()}.
 * Client traffic goes through the same pending queue from the client to a node; answers reach the client at once.
 */
public final class InteractionCluster
{
    /** The heartbeat interval: 1 ms; the election timeout is twice that. */
    public static final long T = 1_000_000L;
    /** One tick: a quarter of a heartbeat interval. */
    public static final long STEP_NS = T / 4;
    /** The client's endpoint name in the trace and in link patterns. */
    public static final String CLIENT = "client";
    static final int CLIENT_ID = 0;
    private static final int CLUSTER_ID = 7;
    private static final long CLOCK_ORIGIN = 1_000_000_000L;
    private static final long CLIENT_HANDLE = 1000;
    private static final int MAX_PAYLOAD = 1024;
    private static final int HEARTBEAT_TEMPLATE_ID = HeartbeatDecoder.TEMPLATE_ID;

    /**
     * A message in the network, sent and not yet delivered or dropped.
     */
    public static final class Message
    {
        final int from;
        final int to;
        final byte[] bytes;
        final String text;

        Message(final int from, final int to, final byte[] bytes, final String text)
        {
            this.from = from;
            this.to = to;
            this.bytes = bytes;
            this.text = text;
        }

        int templateId()
        {
            return new MessageHeaderDecoder().wrap(new UnsafeBuffer(bytes), 0).templateId();
        }

        public String toString()
        {
            return name(from) + "->" + name(to) + " " + text;
        }
    }

    private final int size;
    private final int[] members;
    private final InMemoryPaxosLog[] logs;
    private final PaxosNode[] nodes;
    private final Role[] roles;
    private final boolean[] failedReported;
    private final boolean[] startedBefore;
    private final boolean[][] blocked;
    private final boolean[][] held;
    private final List<List<String>> applied = new ArrayList<>();
    private final List<Message> pending = new ArrayList<>();
    private final List<Message> sentThisCycle = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private final UnsafeBuffer clientBuffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final boolean bootstrap;
    private boolean showHeartbeats;
    private boolean inRun;
    private long now = CLOCK_ORIGIN;
    private long clientSession = -1;
    private long clientSequence;
    private long correlationIds;

    /**
     * @param size      members {@code 1..size}, all started.
     * @param bootstrap whether their first start forms a new cluster at once (the empty logs vote); false makes every
     *                  node a learner that must hear all the others first.
     */
    public InteractionCluster(final int size, final boolean bootstrap)
    {
        this.size = size;
        this.bootstrap = bootstrap;
        members = new int[size];
        logs = new InMemoryPaxosLog[size + 1];
        nodes = new PaxosNode[size + 1];
        roles = new Role[size + 1];
        failedReported = new boolean[size + 1];
        startedBefore = new boolean[size + 1];
        blocked = new boolean[size + 1][size + 1];
        held = new boolean[size + 1][size + 1];
        applied.add(null);
        for (int id = 1; id <= size; id++)
        {
            members[id - 1] = id;
            logs[id] = new InMemoryPaxosLog(MAX_PAYLOAD);
            applied.add(new ArrayList<>());
        }
        for (int id = 1; id <= size; id++)
        {
            restart(id);
        }
    }

    static String name(final int endpoint)
    {
        return endpoint == CLIENT_ID ? CLIENT : String.valueOf(endpoint);
    }

    /** @return the cluster's size. */
    public int size()
    {
        return size;
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

    /** @return the commands the node's current incarnation applied, as "slot text". */
    public List<String> applied(final int id)
    {
        return applied.get(id);
    }

    /** @return the messages sent and neither delivered nor dropped yet, oldest first. */
    public List<Message> pending()
    {
        return pending;
    }

    /**
     * @return the pending messages that match, one a line, oldest first; heartbeats counted in a last line unless
     * the trace shows them.
     */
    public List<String> describePending(final Predicate<Message> which)
    {
        final List<String> lines = new ArrayList<>();
        int heartbeats = 0;
        for (final Message message : pending)
        {
            if (!which.test(message))
            {
                continue;
            }
            if (!showHeartbeats && message.templateId() == HEARTBEAT_TEMPLATE_ID)
            {
                heartbeats++;
            }
            else
            {
                lines.add(message.toString());
            }
        }
        if (heartbeats > 0)
        {
            lines.add("and " + heartbeats + " heartbeat" + (heartbeats > 1 ? "s" : ""));
        }
        return lines;
    }

    /** @param show whether the trace shows heartbeats (they are sent and delivered either way). */
    public void showHeartbeats(final boolean show)
    {
        this.showHeartbeats = show;
    }

    /** @return time since the cluster started, in nanoseconds. */
    public long elapsedNs()
    {
        return now - CLOCK_ORIGIN;
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
    public void restart(final int id)
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
        pending.removeIf(message -> message.to == id); // sent while it was down: lost
        final List<String> appliedHere = new ArrayList<>();
        applied.set(id, appliedHere);
        final StateMachine stateMachine = new EchoStateMachine(appliedHere);
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
        nodes[id] = new PaxosNode(config, logs[id], stateMachine, outbox, error -> event(id, "error: " + error));
        roles[id] = nodes[id].role();
        failedReported[id] = false;
    }

    /**
     * Stop a node as a process crash does: its log stays as it is; what was on its way to it is lost (a new process
     * has new connections), what it sent before is still in the network.
     */
    public void crash(final int id)
    {
        nodes[id] = null;
        pending.removeIf(message -> message.to == id);
    }

    /** The node's disk is lost: it stops as in {@link #crash(int)}, and its next start finds an empty log. */
    public void wipe(final int id)
    {
        crash(id);
        logs[id] = new InMemoryPaxosLog(MAX_PAYLOAD);
    }

    /** Cut (or restore) the link from one node to another, one way. */
    public void block(final int from, final int to, final boolean cut)
    {
        blocked[from][to] = cut;
    }

    /**
     * Hold (or release) the link from one node to another: what is sent on it stays pending through {@link #step()}
     * (a delay as long as the test wants) until released, delivered explicitly or dropped.
     */
    public void hold(final int from, final int to, final boolean hold)
    {
        held[from][to] = hold;
    }

    /** Restore every cut link (held ones stay held). */
    public void heal()
    {
        for (final boolean[] row : blocked)
        {
            Arrays.fill(row, false);
        }
    }

    // ---------------------------------------------------------------- time and the network

    /**
     * One duty cycle of every running node, {@link #STEP_NS} later, delivering nothing: what they send waits.
     */
    public void tick()
    {
        inRun = true;
        try
        {
            now += STEP_NS;
            for (int id = 1; id <= size; id++)
            {
                if (nodes[id] != null)
                {
                    nodes[id].onTick(now);
                }
            }
            for (int id = 1; id <= size; id++)
            {
                cycleEnd(id);
            }
        }
        finally
        {
            inRun = false;
        }
    }

    /**
     * One duty cycle of every running node, {@link #STEP_NS} later, in which every message pending before it arrives
     * (as in the runtime: what a node sends in one cycle is read by the others in the next).
     */
    public void step()
    {
        inRun = true;
        try
        {
            now += STEP_NS;
            final List<Message> arriving =
                take(message -> message.from == CLIENT_ID || !held[message.from][message.to]);
            for (int id = 1; id <= size; id++)
            {
                if (nodes[id] != null)
                {
                    nodes[id].onTick(now);
                }
            }
            deliverAll(arriving);
            for (int id = 1; id <= size; id++)
            {
                cycleEnd(id);
            }
        }
        finally
        {
            inRun = false;
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
        final List<Message> taken = take(which, count);
        deliverAll(taken);
        final boolean[] received = new boolean[size + 1];
        for (final Message message : taken)
        {
            if (message.to != CLIENT_ID)
            {
                received[message.to] = true;
            }
        }
        for (int id = 1; id <= size; id++)
        {
            if (received[id])
            {
                cycleEnd(id);
            }
        }
        return taken.size();
    }

    /**
     * Drop the first count pending messages that match.
     *
     * @return the messages dropped.
     */
    public List<Message> drop(final Predicate<Message> which, final int count)
    {
        final List<Message> taken = take(which, count);
        int heartbeats = 0;
        for (final Message message : taken)
        {
            if (!showHeartbeats && message.templateId() == HEARTBEAT_TEMPLATE_ID)
            {
                heartbeats++;
            }
            else
            {
                trace.add("dropped " + message);
            }
        }
        if (heartbeats > 0)
        {
            trace.add("dropped " + heartbeats + " heartbeat" + (heartbeats > 1 ? "s" : ""));
        }
        return taken;
    }

    private List<Message> take(final Predicate<Message> which)
    {
        return take(which, Integer.MAX_VALUE);
    }

    /**
     * @return the first count pending messages that match, oldest first, taken out of the network.
     */
    private List<Message> take(final Predicate<Message> which, final int count)
    {
        final List<Message> taken = new ArrayList<>();
        pending.removeIf(message ->
        {
            if (taken.size() < count && which.test(message))
            {
                taken.add(message);
                return true;
            }
            return false;
        });
        return taken;
    }

    private void deliverAll(final List<Message> arriving)
    {
        for (final Message message : arriving)
        {
            if (message.to == CLIENT_ID)
            {
                continue;
            }
            final PaxosNode node = nodes[message.to];
            final boolean cut = message.from != CLIENT_ID && blocked[message.from][message.to];
            if (node == null || cut)
            {
                if (showHeartbeats || message.templateId() != HEARTBEAT_TEMPLATE_ID)
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
     * The end of a node's duty cycle: work, make durable, then what it sent leaves, all of it or (if the state
     * machine failed the node) whatever it sent before.
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
        traceSent();
        pending.addAll(sentThisCycle);
        for (final Message message : sentThisCycle)
        {
            if (message.to == CLIENT_ID)
            {
                clientReceives(message);
            }
        }
        pending.removeIf(message -> message.to == CLIENT_ID);
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
            if (done[i] || (!showHeartbeats && message.templateId() == HEARTBEAT_TEMPLATE_ID))
            {
                continue;
            }
            final StringBuilder to = new StringBuilder(name(message.to));
            for (int j = i + 1; j < sentThisCycle.size(); j++)
            {
                final Message other = sentThisCycle.get(j);
                if (!done[j] && other.from == message.from && other.text.equals(message.text) &&
                    !Arrays.asList(to.toString().split(",")).contains(name(other.to)))
                {
                    to.append(',').append(name(other.to));
                    done[j] = true;
                }
            }
            trace.add(prefix() + name(message.from) + "->" + to + " " + message.text);
        }
    }

    private void event(final int id, final String what)
    {
        trace.add(prefix() + id + " " + what);
    }

    private String prefix()
    {
        return inRun ? time() + " " : "";
    }

    /** @return the time since the start as "12.25ms". */
    public String time()
    {
        final long micros = elapsedNs() / 1000;
        return String.format("%d.%02dms", micros / 1000, (micros % 1000) / 10);
    }

    // ---------------------------------------------------------------- the client

    /**
     * Queue a SessionOpen from the client to a node.
     */
    public void clientOpen(final int id, final int window)
    {
        final SessionOpenEncoder encoder = new SessionOpenEncoder().wrapAndApplyHeader(clientBuffer, 0, header)
            .correlationId(++correlationIds).window(window);
        clientSends(id, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * Queue a Command from the client to a node, in the session the client opened last.
     *
     * @param sequence the command's sequence, or -1 for the next one.
     */
    public void propose(final int id, final String text, final long sequence)
    {
        final long q = sequence < 0 ? ++clientSequence : sequence;
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final CommandEncoder encoder = new CommandEncoder().wrapAndApplyHeader(clientBuffer, 0, header)
            .sessionId(Math.max(clientSession, 0)).sequence(q).putPayload(bytes, 0, bytes.length);
        clientSends(id, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private void clientSends(final int id, final int length)
    {
        final byte[] bytes = new byte[length];
        clientBuffer.getBytes(0, bytes);
        final Message message = new Message(CLIENT_ID, id, bytes, MessageFormat.describe(bytes, members));
        pending.add(message);
        trace.add(message.toString());
    }

    private void clientReceives(final Message message)
    {
        if (message.templateId() != ResponseDecoder.TEMPLATE_ID)
        {
            return;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(message.bytes);
        final MessageHeaderDecoder decodedHeader = new MessageHeaderDecoder().wrap(buffer, 0);
        final ResponseDecoder response = new ResponseDecoder().wrap(
            buffer, MessageHeaderDecoder.ENCODED_LENGTH, decodedHeader.blockLength(), decodedHeader.version());
        if (response.code() == ResponseCode.SESSION_OPENED)
        {
            clientSession = response.sessionId();
            clientSequence = 0;
        }
    }

    // ---------------------------------------------------------------- state

    /**
     * @return one line per node: role, ballot, the leader it follows, commit index, applied index, log end, promise,
     * and whether it votes.
     */
    public List<String> status()
    {
        final List<String> lines = new ArrayList<>();
        for (int id = 1; id <= size; id++)
        {
            final PaxosNode node = nodes[id];
            final InMemoryPaxosLog log = logs[id];
            final String logState = "commit=" + log.commitIndex() + " next=" + log.nextSlot() +
                " promised=" + Ballot.toString(log.promisedBallot()) + (log.voting() ? "" : " learner");
            if (node == null)
            {
                lines.add(id + ": down " + logState);
            }
            else
            {
                lines.add(id + ": " + node.role() + (node.isFailed() ? " FAILED" : "") +
                    " ballot=" + Ballot.toString(node.ballot()) +
                    " last-leader=" + (node.leaderId() < 0 ? "none" : String.valueOf(node.leaderId())) +
                    " applied=" + node.appliedIndex() + " " + logState);
            }
        }
        return lines;
    }

    /**
     * @return the node's log, one entry a line, from its first slot.
     */
    public List<String> logOf(final int id)
    {
        final InMemoryPaxosLog log = logs[id];
        final List<String> lines = new ArrayList<>();
        final LogEntry entry = new LogEntry();
        for (long slot = log.firstSlot(); slot < log.nextSlot(); slot++)
        {
            lines.add(log.read(slot, entry) ? MessageFormat.describe(entry) : slot + " (none)");
        }
        if (lines.isEmpty())
        {
            lines.add("empty");
        }
        return lines;
    }

    /**
     * A state machine that records what it applies and answers with the command itself. A command starting with
     * "poison" throws (the node must fail-stop); one starting with "invalid" is refused by {@code validate}.
     */
    private static final class EchoStateMachine implements StateMachine
    {
        private final List<String> applied;

        EchoStateMachine(final List<String> applied)
        {
            this.applied = applied;
        }

        public void apply(
            final long slot,
            final long timestamp,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter response)
        {
            final String text = command.getStringWithoutLengthAscii(offset, length);
            if (text.startsWith("poison"))
            {
                throw new IllegalStateException("poison command at slot " + slot);
            }
            applied.add(slot + " " + text);
            response.put(command, offset, length);
        }

        public boolean validate(
            final long sessionId,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter reason)
        {
            if (command.getStringWithoutLengthAscii(offset, length).startsWith("invalid"))
            {
                final byte[] why = "refused by validate".getBytes(StandardCharsets.US_ASCII);
                reason.put(new UnsafeBuffer(why), 0, why.length);
                return false;
            }
            return true;
        }
    }
}
