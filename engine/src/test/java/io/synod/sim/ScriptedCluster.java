package io.synod.sim;

import io.synod.codecs.CommandEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.core.CoreConfig;
import io.synod.Role;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * A harness for scripted scenarios: real cores over the simulation's network, with no randomness. Every message
 * takes exactly one duty cycle (a tick) to arrive, nothing is lost unless a link is blocked, and the script decides
 * which links are up, when a node crashes (between cycles, or inside one after k log writes) and what clients send.
 * The {@link Oracle} checks the invariants after every tick, as in the seeded runs, and every delivered message is
 * kept in a transcript that a failure prints. A scenario replays the same interleaving whatever the seed range of
 * the randomized runs.
 */
final class ScriptedCluster implements AutoCloseable
{
    static final long TICK_NS = 100_000;
    static final long HEARTBEAT_NS = 1_000_000;

    private final Oracle oracle = new Oracle();
    private final SimNode.CrashKind crashKind;
    private final SimNetwork network;
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final Map<SimNode, SimulatedCrash> crashes = new HashMap<>();
    private final Map<String, Integer> delivered = new HashMap<>();
    private final List<String> transcript = new ArrayList<>();
    private long nowNs = 1_000_000_000L;
    private int tick;

    /**
     * @param nodeCount  members 0..nodeCount-1; the highest live id stands first.
     * @param crashKind  what a crash does to the logs.
     */
    ScriptedCluster(final int nodeCount, final SimNode.CrashKind crashKind)
    {
        this.crashKind = crashKind;
        network = new SimNetwork(new Random(0), nodeCount);
        network.minDelayNs = TICK_NS / 2;
        network.maxDelayNs = TICK_NS / 2;
        final int[] memberIds = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            memberIds[i] = i;
        }
        for (int i = 0; i < nodeCount; i++)
        {
            final CoreConfig config = new CoreConfig()
                .nodeId(i)
                .bootstrap(true) // a brand-new cluster that the scripts start with a majority or less
                .memberIds(memberIds)
                .clusterId(7)
                .heartbeatIntervalNs(HEARTBEAT_NS)
                .electionTimeoutNs(2 * HEARTBEAT_NS)
                .maxPayloadLength(64)
                .maxMessageLength(64 * 1024)
                .maxBatchEntries(16)
                .windowEntries(64)
                .sessionTimeoutNs(3_600_000_000_000L);
            nodes.add(new SimNode(
                config,
                network,
                oracle,
                () -> new InMemoryPaxosLog(config.maxPayloadLength(), 64 * 1024),
                false,
                crashKind == SimNode.CrashKind.POWER_CUT));
        }
    }

    SimNode node(final int nodeId)
    {
        return nodes.get(nodeId);
    }

    Client client()
    {
        final Client client = new Client(clients.size());
        clients.add(client);
        return client;
    }

    /**
     * One duty cycle of every live node: tick, the messages that arrived, work, sync, then what it sent leaves.
     */
    void tick()
    {
        nowNs += TICK_NS;
        tick++;
        network.now(nowNs);
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                try
                {
                    node.node().onTick(nowNs);
                }
                catch (final SimulatedCrash crash)
                {
                    crashInCycle(node, crash);
                }
            }
        }
        SimNetwork.Message message;
        while ((message = network.poll()) != null)
        {
            deliver(message);
        }
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                try
                {
                    node.node().doWork();
                    node.log().sync();
                    node.releaseSends();
                }
                catch (final SimulatedCrash crash)
                {
                    crashInCycle(node, crash);
                }
            }
        }
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                oracle.check(node.node(), node.stateMachine());
            }
        }
    }

    private void deliver(final SimNetwork.Message message)
    {
        final int templateId = new MessageHeaderDecoder().wrap(new UnsafeBuffer(message.bytes), 0).templateId();
        if (message.to >= SimNetwork.CLIENT_BASE)
        {
            clients.get(message.to - SimNetwork.CLIENT_BASE).onMessage(message.bytes);
            return;
        }
        final SimNode node = nodes.get(message.to);
        if (!node.isUp())
        {
            return;
        }
        delivered.merge(message.from + "->" + message.to + ":" + templateId, 1, Integer::sum);
        transcript.add("tick " + tick + " " + name(message.from) + "->" + message.to + " " +
            (message.from >= SimNetwork.CLIENT_BASE ? "client request" : MessageTrace.describe(message.bytes)));
        final UnsafeBuffer buffer = new UnsafeBuffer(message.bytes);
        try
        {
            if (message.from >= SimNetwork.CLIENT_BASE)
            {
                node.node().onClientMessage(message.from, buffer, 0, message.bytes.length);
            }
            else
            {
                node.node().onPeerMessage(buffer, 0, message.bytes.length);
            }
        }
        catch (final SimulatedCrash crash)
        {
            crashInCycle(node, crash);
        }
    }

    private static String name(final int address)
    {
        return address >= SimNetwork.CLIENT_BASE ? "client" + (address - SimNetwork.CLIENT_BASE) : "" + address;
    }

    private void crashInCycle(final SimNode node, final SimulatedCrash crash)
    {
        transcript.add("tick " + tick + " node " + node.nodeId + " CRASHED (" + crashKind + ") in " + crash.site() +
            " after " + crash.writesBefore + " writes this cycle");
        crashes.put(node, crash);
        node.crash(crashKind);
    }

    /**
     * Tick until the condition holds.
     *
     * @throws AssertionError naming what was awaited, with the recent transcript, after maxTicks.
     */
    void runUntil(final String what, final BooleanSupplier condition, final int maxTicks)
    {
        for (int i = 0; i < maxTicks && !condition.getAsBoolean(); i++)
        {
            tick();
        }
        if (!condition.getAsBoolean())
        {
            throw new AssertionError("not within " + maxTicks + " ticks: " + what + "\n" + describe());
        }
    }

    void run(final int ticks)
    {
        for (int i = 0; i < ticks; i++)
        {
            tick();
        }
    }

    /** Drop everything from one node to another (the reverse direction is untouched). */
    void block(final int from, final int to)
    {
        network.block(from, to, true);
    }

    void unblock(final int from, final int to)
    {
        network.block(from, to, false);
    }

    /** Cut a node off from every other node, both ways (clients still reach it). */
    void isolate(final int nodeId)
    {
        for (int other = 0; other < nodes.size(); other++)
        {
            if (other != nodeId)
            {
                block(nodeId, other);
                block(other, nodeId);
            }
        }
    }

    void reconnect(final int nodeId)
    {
        for (int other = 0; other < nodes.size(); other++)
        {
            if (other != nodeId)
            {
                unblock(nodeId, other);
                unblock(other, nodeId);
            }
        }
    }

    /** Crash between duty cycles: everything it sent has left, everything it wrote was synced. */
    void crash(final int nodeId)
    {
        transcript.add("tick " + tick + " node " + nodeId + " crashed between cycles (" + crashKind + ")");
        nodes.get(nodeId).crash(crashKind);
    }

    /** Let the node make k more log writes, then crash it at the next write or sync, inside its duty cycle. */
    void crashAfterWrites(final int nodeId, final int writes)
    {
        nodes.get(nodeId).log().crashAfter(writes);
    }

    /** Crash the node at its next sync with writes to make durable: the cycle's writes made, none durable. */
    void crashAtNextSync(final int nodeId)
    {
        nodes.get(nodeId).log().crashAtNextSync();
    }

    /**
     * @return the crash inside a duty cycle the node last had, or null.
     */
    SimulatedCrash crashOf(final int nodeId)
    {
        return crashes.get(nodes.get(nodeId));
    }

    void restart(final int nodeId)
    {
        transcript.add("tick " + tick + " node " + nodeId + " restarts");
        nodes.get(nodeId).start();
    }

    boolean isLeader(final int nodeId)
    {
        final SimNode node = nodes.get(nodeId);
        return node.isUp() && node.node().role() == Role.LEADER;
    }

    /**
     * @return how many messages of this SBE template were delivered from one node to another.
     */
    int delivered(final int from, final int to, final int templateId)
    {
        return delivered.getOrDefault(from + "->" + to + ":" + templateId, 0);
    }

    /**
     * The oracle's end-of-run check on every node: each acknowledged command is in its log at its slot.
     */
    void assertEveryAcknowledgedCommandHeldByEveryNode()
    {
        try
        {
            for (final SimNode node : nodes)
            {
                oracle.checkAcknowledgedHeld(node.nodeId, node.log());
            }
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\n" + describe(), ex);
        }
    }

    String describe()
    {
        final StringBuilder builder = new StringBuilder("nodes:\n");
        for (final SimNode node : nodes)
        {
            builder.append("  ").append(node).append(' ').append(node.log()).append('\n');
        }
        builder.append("transcript (last 60):\n");
        for (int i = Math.max(0, transcript.size() - 60); i < transcript.size(); i++)
        {
            builder.append("  ").append(transcript.get(i)).append('\n');
        }
        return builder.toString();
    }

    public void close()
    {
        nodes.forEach(SimNode::close);
    }

    /**
     * A client driven by the script: opens one session at a node and sends numbered commands to the node named.
     * Every answer is checked by the oracle like a simulated client's.
     */
    final class Client
    {
        private final int clientNo;
        private final int address;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final ResponseDecoder response = new ResponseDecoder();
        private final Map<Long, Long> acknowledgedAt = new HashMap<>();
        private long sessionId = -1;
        private long nextSequence = 1;
        private final long correlationId;

        Client(final int clientNo)
        {
            this.clientNo = clientNo;
            this.address = SimNetwork.CLIENT_BASE + clientNo;
            this.correlationId = ((long)clientNo << 32) | 1;
        }

        void open(final int nodeId)
        {
            final SessionOpenEncoder open = new SessionOpenEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
                .correlationId(correlationId).window(1);
            network.send(address, nodeId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + open.encodedLength());
        }

        boolean isOpen()
        {
            return sessionId >= 0;
        }

        /**
         * Send the next command of the session.
         *
         * @return its command id.
         */
        long send(final int nodeId)
        {
            final long sequence = nextSequence++;
            final long commandId = ((long)clientNo << 32) | sequence;
            oracle.onProposed(commandId);
            resend(nodeId, commandId);
            return commandId;
        }

        /** Send a command again, e.g. to another node after a failover: same session, same sequence. */
        void resend(final int nodeId, final long commandId)
        {
            payload.putLong(0, commandId);
            final CommandEncoder command = new CommandEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
                .sessionId(sessionId)
                .sequence(commandId & 0xFFFFFFFFL)
                .putPayload(payload, 0, 8);
            network.send(address, nodeId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
        }

        /** @return how many commands were acknowledged (OK or DUPLICATE). */
        int acknowledged()
        {
            return acknowledgedAt.size();
        }

        boolean isAcknowledged(final long commandId)
        {
            return acknowledgedAt.containsKey(commandId);
        }

        /** @return the slot the command was acknowledged at, -1 for a duplicate, null if not acknowledged. */
        Long slotOf(final long commandId)
        {
            return acknowledgedAt.get(commandId);
        }

        private void onMessage(final byte[] bytes)
        {
            final UnsafeBuffer in = new UnsafeBuffer(bytes);
            headerDecoder.wrap(in, 0);
            if (headerDecoder.templateId() != ResponseDecoder.TEMPLATE_ID)
            {
                transcript.add("tick " + tick + " client" + clientNo + " got template " + headerDecoder.templateId());
                return; // a redirect: the script decides where to go
            }
            response.wrap(
                in, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
            final ResponseCode code = response.code();
            transcript.add("tick " + tick + " client" + clientNo + " got " + code + " seq " + response.sequence() +
                " slot " + response.slot());
            if (code == ResponseCode.SESSION_OPENED)
            {
                if (response.sequence() == correlationId && sessionId < 0)
                {
                    sessionId = response.sessionId();
                }
                return;
            }
            final long commandId = ((long)clientNo << 32) | response.sequence();
            if (response.sessionId() != sessionId || acknowledgedAt.containsKey(commandId))
            {
                return;
            }
            if (code == ResponseCode.OK)
            {
                oracle.onAcknowledged(commandId, response.slot());
                acknowledgedAt.put(commandId, response.slot());
            }
            else if (code == ResponseCode.DUPLICATE)
            {
                oracle.onAcknowledged(commandId, -1);
                acknowledgedAt.put(commandId, -1L);
            }
        }
    }
}
