package io.synod.sim;

import io.synod.core.CoreConfig;
import io.synod.core.PaxosNode;
import io.synod.Role;
import io.synod.log.PaxosLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * One seeded run of a whole cluster of real cores over a simulated network and clock: a fault phase (loss,
 * duplication, reordering, delay, partitions including asymmetric ones, crashes and restarts, with the log kept or, one node at a time, with an empty log), then a healing phase in
 * which the cluster must make progress again within a bounded number of ticks. The oracle checks the invariants after
 * every tick, and at the end that every acknowledged command is in every node's log at its slot. Everything derives
 * from the seed, so a failing seed replays exactly.
 * <p>
 * Crashes happen between duty cycles or inside one, after any number of log writes ({@link CrashingLog}); messages
 * leave a node only after its cycle's sync, so a crash inside a cycle sends nothing of it. Each seed draws its crash
 * kind: a process crash keeps every write made (in-memory log kept as the crash left it; the mapped log closed and
 * recovered from its files), a power cut brings back only what the last completed sync made durable
 * ({@link DurableImage}, in-memory seeds only).
 */
public final class Simulation
{
    static final long TICK_NS = 100_000;
    private static final int FAULT_TICKS = 3_000;
    private static final int HEAL_TICKS_MAX = 30_000;
    /** Fault phase of a long-partition run: 2.5 s of simulated time. */
    private static final int LONG_FAULT_TICKS = 25_000;
    /** Availability: a majority connected to each other this many election timeouts has a leader and commits. */
    static final int AVAILABILITY_TIMEOUTS = 20;

    private final long seed;
    private final int nodeCount;
    private final Random random;
    // A stream of its own for the wipe fault, so the other faults of a seed stay what they were without it.
    private final Random wipeRandom;
    private final SimClocks clocks;
    private final Oracle oracle = new Oracle();
    private final SimNetwork network;
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final long[] restartAt;
    private final long[] healLinkAt;
    private final boolean reopensLog;
    private final SimNode.CrashKind crashKind;
    private final StringBuilder events = new StringBuilder();
    private static final long START_NS = 1_000_000_000L;
    private long nowNs = START_NS;
    private int tick;
    private int crashesInCycle;
    private final boolean longPartitions;
    private final LongPartitions longRun;

    /**
     * @param seed       everything derives from it.
     * @param nodeCount  3 or 5 typically.
     * @param logFactory makes each node's log (in-memory or mapped); called once per node.
     */
    public Simulation(final long seed, final int nodeCount, final Function<CoreConfig, PaxosLog> logFactory)
    {
        this(seed, nodeCount, logFactory, false);
    }

    /**
     * @param seed       everything derives from it.
     * @param nodeCount  3 or 5 typically.
     * @param logFactory opens a node's log.
     * @param reopensLog true for logs on disk: a crash closes the log and a restart recovers it from its files.
     */
    public Simulation(
        final long seed,
        final int nodeCount,
        final Function<CoreConfig, PaxosLog> logFactory,
        final boolean reopensLog)
    {
        this(seed, nodeCount, logFactory, reopensLog, false);
    }

    /**
     * @param longPartitions true for the availability run: instead of the default fault phase, 2.5 s of simulated
     *                       time of partitions that last 0.3 to 1.5 s each (symmetric splits, one-way cuts of a node's
     *                       outgoing or incoming links, one link cut both ways), follower restarts, light loss and no
     *                       crash inside a duty cycle; whenever a majority has been connected to each other for
     *                       {@link #AVAILABILITY_TIMEOUTS} election timeouts, one node leads and commands commit.
     */
    public Simulation(
        final long seed,
        final int nodeCount,
        final Function<CoreConfig, PaxosLog> logFactory,
        final boolean reopensLog,
        final boolean longPartitions)
    {
        this.longPartitions = longPartitions;
        this.seed = seed;
        this.nodeCount = nodeCount;
        this.reopensLog = reopensLog;
        this.random = new Random(seed);
        this.wipeRandom = new Random(seed * 0x9E3779B97F4A7C15L + 7);
        this.clocks = new SimClocks(seed, nodeCount);
        this.network = new SimNetwork(random, nodeCount);
        this.restartAt = new long[nodeCount];
        this.healLinkAt = new long[nodeCount * nodeCount];

        // Mapped logs are closed and recovered at each crash: a process crash (power cuts are tested on their files).
        this.crashKind = !reopensLog && random.nextBoolean() ? SimNode.CrashKind.POWER_CUT : SimNode.CrashKind.PROCESS;
        network.lossRate = random.nextDouble() * 0.1;
        network.duplicateRate = random.nextDouble() * 0.05;
        network.minDelayNs = 10_000 + random.nextInt(50_000);
        network.maxDelayNs = network.minDelayNs + random.nextInt(random.nextBoolean() ? 200_000 : 3_000_000);

        final int[] memberIds = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            memberIds[i] = i;
        }
        final long heartbeatNs = 1_000_000;
        final int maxBatchEntries = 1 + random.nextInt(random.nextBoolean() ? 4 : 64);
        final int maxMessageLength = random.nextBoolean() ? 256 : 64 * 1024;
        final int windowEntries = Math.max(maxBatchEntries, 8 + random.nextInt(256));
        long maxElectionTimeoutNs = 0;
        for (int i = 0; i < nodeCount; i++)
        {
            final CoreConfig config = new CoreConfig()
                .nodeId(i)
                .memberIds(memberIds)
                .clusterId(7)
                .heartbeatIntervalNs(heartbeatNs)
                .electionTimeoutNs(heartbeatNs * (2 + random.nextInt(3)))
                .maxPayloadLength(64)
                .maxMessageLength(maxMessageLength)
                .maxBatchEntries(maxBatchEntries)
                .windowEntries(windowEntries)
                .sessionTimeoutNs(3_600_000_000_000L);
            maxElectionTimeoutNs = Math.max(maxElectionTimeoutNs, config.electionTimeoutNs());
            final boolean powerCuts = crashKind == SimNode.CrashKind.POWER_CUT;
            nodes.add(new SimNode(config, network, oracle, () -> logFactory.apply(config), reopensLog, powerCuts));
        }
        if (longPartitions)
        {
            // Availability is judged with the network otherwise sound: partitions are the fault under test.
            network.lossRate = Math.min(network.lossRate, 0.005);
            network.duplicateRate = Math.min(network.duplicateRate, 0.01);
            network.maxDelayNs = Math.min(network.maxDelayNs, network.minDelayNs + 200_000);
        }
        longRun = longPartitions ? new LongPartitions(
            random, network, nodes, restartAt, crashKind, this::event, maxElectionTimeoutNs, windowEntries) : null;
        final int clientCount = 1 + random.nextInt(4);
        for (int i = 0; i < clientCount; i++)
        {
            final int window = random.nextBoolean() ? 1 : 2 + random.nextInt(3);
            clients.add(new SimClient(i, nodeCount, random, network, oracle, 8 * heartbeatNs, window));
        }
        event("start: " + nodeCount + " nodes, " + clientCount + " clients, loss " + network.lossRate + ", dup " +
            network.duplicateRate + ", delay " + network.minDelayNs + ".." + network.maxDelayNs + " ns, batch " +
            maxBatchEntries + ", message " + maxMessageLength + " B, window " + windowEntries + ", crashes: " +
            crashKind);
    }

    /**
     * Run the fault phase and the healing phase.
     *
     * @return what happened, if every invariant held and the cluster healed.
     * @throws AssertionError naming the seed, the broken invariant and the recent events.
     */
    public SimulationOutcome run()
    {
        try
        {
            final int faultTicks = longPartitions ? LONG_FAULT_TICKS : FAULT_TICKS;
            for (tick = 0; tick < faultTicks; tick++)
            {
                step();
                if (longPartitions)
                {
                    longRun.inject(tick);
                    longRun.check(tick);
                }
                else
                {
                    injectFaults();
                }
            }

            heal();
            final int healStart = tick;
            final int stopSendingAt = tick + 200;
            while (!settled())
            {
                if (tick - healStart > HEAL_TICKS_MAX)
                {
                    throw new AssertionError("no progress within " + HEAL_TICKS_MAX + " ticks after faults stopped");
                }
                if (tick == stopSendingAt)
                {
                    clients.forEach(SimClient::stopSendingNew);
                }
                step();
                tick++;
            }
            finalChecks();
            long elections = 0;
            for (final SimNode node : nodes)
            {
                elections += node.node().counters().electionsStarted();
            }
            final SimulationOutcome outcome = new SimulationOutcome(
                seed, nodeCount, oracle.chosenSlots(), oracle.acknowledged, tick - healStart, elections, crashesInCycle);
            nodes.forEach(node -> outcome.wipes += node.wipes);
            clients.forEach(client -> client.addTo(outcome));
            if (longRun != null)
            {
                outcome.availabilityChecks = longRun.availabilityChecks();
                outcome.stableElections = longRun.stableElections();
            }
            return outcome;
        }
        catch (final AssertionError | RuntimeException ex)
        {
            final String message = "simulation seed " + seed + " (" + nodeCount + " nodes) failed at tick " + tick +
                ": " + ex.getMessage() + "\nreplay: " + replayCommand() + "\nstate:\n" + state() +
                "recent events:\n" + recentEvents();
            throw new AssertionError(message, ex);
        }
        finally
        {
            nodes.forEach(SimNode::close);
        }
    }

    /**
     * @return the one-line command that replays this seed.
     */
    public String replayCommand()
    {
        return "mvn -pl codecs,engine -am verify -Dtest=SimulationTest -Dsurefire.failIfNoSpecifiedTests=false " +
            "-Dsynod.sim.seed=" + seed + " -Dsynod.sim.nodes=" + nodeCount +
            (reopensLog ? " -Dsynod.sim.log=mapped" : "") + (longPartitions ? " -Dsynod.sim.long=true" : "");
    }

    /**
     * One cluster time: whatever host a leader runs on, log time never runs ahead of the time that passed (it starts
     * at 0 with the first leader and advances with the leaders' clocks, which drift by at most 100 ppm here).
     */
    private void checkClusterTime(final SimNode node)
    {
        final long elapsed = nowNs - START_NS;
        if (node.stateMachine().lastTimestamp() > elapsed + elapsed / 1000 + TICK_NS)
        {
            throw new AssertionError("node " + node.nodeId + ": log time " + node.stateMachine().lastTimestamp() +
                " ns ran ahead of the " + elapsed + " ns that passed");
        }
    }

    private void step()
    {
        nowNs += TICK_NS;
        network.now(nowNs);
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                try
                {
                    node.node().onTick(clocks.local(node.nodeId, nowNs));
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
        for (final SimClient client : clients)
        {
            client.onTick(nowNs);
        }
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                oracle.check(node.node(), node.stateMachine());
                checkClusterTime(node);
            }
        }
    }

    /** {@code -Dsynod.sim.trace=<nodeId>} prints every message to or from that node while replaying one seed. */
    private static final int TRACE_NODE = Integer.getInteger("synod.sim.trace", -1);

    private void deliver(final SimNetwork.Message message)
    {
        if (TRACE_NODE >= 0 && (message.to == TRACE_NODE || message.from == TRACE_NODE))
        {
            System.out.println("tick " + tick + " " + message.from + "->" + message.to + " " +
                MessageTrace.describe(message.bytes));
        }
        if (message.to >= SimNetwork.CLIENT_BASE)
        {
            clients.get(message.to - SimNetwork.CLIENT_BASE).onMessage(message.from, message.bytes, nowNs);
            return;
        }
        final SimNode node = nodes.get(message.to);
        if (!node.isUp())
        {
            return;
        }
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(message.bytes);
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

    /**
     * The node's crash budget ran out inside its duty cycle: it dies there, and nothing it sent this cycle leaves.
     */
    private void crashInCycle(final SimNode node, final SimulatedCrash crash)
    {
        crashesInCycle++;
        final int lost = node.unsyncedWrites();
        event(crashKind + " inside a duty cycle: node " + node.nodeId + " in " + crash.site() + " after " +
            crash.writesBefore + " writes" + (crashKind == SimNode.CrashKind.POWER_CUT ? ", " + lost +
            " unsynced calls lost" : "") + " " + node);
        node.crash(crashKind);
        maybeWipe(node);
        restartAt[node.nodeId] = tick + 20 + random.nextInt(random.nextBoolean() ? 100 : 1500);
    }

    private void injectFaults()
    {
        for (int i = 0; i < nodeCount; i++)
        {
            final SimNode node = nodes.get(i);
            if (!node.isUp() && tick >= restartAt[i])
            {
                node.start();
                event("restart node " + i);
            }
        }
        for (int from = 0; from < nodeCount; from++)
        {
            for (int to = 0; to < nodeCount; to++)
            {
                if (network.isBlocked(from, to) && tick >= healLinkAt[from * nodeCount + to])
                {
                    network.block(from, to, false);
                }
            }
        }

        if (random.nextDouble() < 0.003)
        {
            final int victim = pickVictim();
            final SimNode node = nodes.get(victim);
            if (node.isUp())
            {
                if (random.nextBoolean())
                {
                    event("crash node " + victim + " between duty cycles " + node);
                    node.crash(crashKind);
                    maybeWipe(node);
                    restartAt[victim] = tick + 20 + random.nextInt(random.nextBoolean() ? 100 : 1500);
                }
                else if (!node.log().isArmed())
                {
                    // Inside a later duty cycle, after a few writes (a new leader's re-proposals, an acceptor's
                    // batch) or many (a long catch-up).
                    final int writes = random.nextInt(random.nextBoolean() ? 4 : 64);
                    event("node " + victim + " will crash after " + writes + " more log writes");
                    node.log().crashAfter(writes);
                }
            }
        }
        for (final SimNode node : nodes)
        {
            if (node.isUp() && node.node().role() == Role.CANDIDATE && !node.log().isArmed() &&
                random.nextDouble() < 0.05)
            {
                // A candidate that wins rewrites the tail it learned in phase 1: crash it somewhere in there.
                final int writes = random.nextInt(8);
                event("candidate " + node.nodeId + " will crash after " + writes + " more log writes");
                node.log().crashAfter(writes);
            }
        }
        if (random.nextDouble() < 0.002)
        {
            partition();
        }
    }

    /**
     * A crashed node sometimes loses its disk and restarts with an empty log, as an operator replacing it would. At
     * most one node is without its log at a time: no wipe while another node is still a learner, down or up (the rule
     * of docs/protocol.md assumes it). In-memory logs only: wiping a mapped node's directory is not modelled here (the
     * process-level LostLogProcessTest does it).
     */
    private void maybeWipe(final SimNode victim)
    {
        if (reopensLog || wipeRandom.nextInt(4) != 0)
        {
            return;
        }
        for (final SimNode other : nodes)
        {
            if (other != victim && !other.isVoting())
            {
                return;
            }
        }
        victim.wipe();
        event("wipe node " + victim.nodeId + ": it restarts with an empty log");
    }

    private int pickVictim()
    {
        // Half of the crashes hit the leader, when there is one: that is where the protocol works hardest.
        if (random.nextBoolean())
        {
            for (final SimNode node : nodes)
            {
                if (node.isUp() && node.node().role() == Role.LEADER)
                {
                    return node.nodeId;
                }
            }
        }
        return random.nextInt(nodeCount);
    }

    private void partition()
    {
        final boolean[] sideA = new boolean[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            sideA[i] = random.nextBoolean();
        }
        final boolean asymmetric = random.nextInt(3) == 0;
        final long until = tick + 50 + random.nextInt(1500);
        final StringBuilder description = new StringBuilder(asymmetric ? "asymmetric partition " : "partition ");
        for (int from = 0; from < nodeCount; from++)
        {
            for (int to = 0; to < nodeCount; to++)
            {
                if (from != to && sideA[from] && !sideA[to] || (!asymmetric && !sideA[from] && sideA[to]))
                {
                    network.block(from, to, true);
                    healLinkAt[from * nodeCount + to] = until;
                    description.append(from).append("->").append(to).append(' ');
                }
            }
        }
        event(description.append("until tick ").append(until).toString());
    }

    private void heal()
    {
        network.heal();
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                node.log().disarm();
            }
            else
            {
                node.start();
                event("restart node " + node.nodeId + " (heal)");
            }
        }
        event("heal");
    }

    private boolean settled()
    {
        for (final SimClient client : clients)
        {
            if (!client.isIdle())
            {
                return false;
            }
        }
        long maxCommit = 0;
        for (final SimNode node : nodes)
        {
            maxCommit = Math.max(maxCommit, node.node().commitIndex());
        }
        for (final SimNode node : nodes)
        {
            if (node.node().appliedIndex() != maxCommit)
            {
                return false;
            }
        }
        return true;
    }

    private void finalChecks()
    {
        final long stateHash = nodes.get(0).stateMachine().stateHash();
        for (final SimNode node : nodes)
        {
            if (node.stateMachine().stateHash() != stateHash)
            {
                throw new AssertionError("state machines differ after healing: " + state());
            }
            if (node.malformedReported != 0)
            {
                throw new AssertionError("node " + node.nodeId + " reported " + node.malformedReported +
                    " malformed messages: the core sent something it cannot read");
            }
            oracle.checkAcknowledgedHeld(node.nodeId, node.log());
        }
    }

    private void event(final String text)
    {
        events.append("  tick ").append(tick).append(": ").append(text).append('\n');
    }

    private String recentEvents()
    {
        final int from = Math.max(0, events.length() - 4000);
        return events.substring(from);
    }

    private String state()
    {
        final StringBuilder builder = new StringBuilder();
        for (final SimNode node : nodes)
        {
            builder.append("  ").append(node).append('\n');
            if (!node.isUp())
            {
                continue;
            }
            final io.synod.log.LogEntry entry = new io.synod.log.LogEntry();
            for (long slot = Math.max(0, node.log().nextSlot() - 4); slot < node.log().nextSlot(); slot++)
            {
                node.log().read(slot, entry);
                builder.append("    ").append(entry).append(" ballot ")
                    .append(io.synod.core.Ballot.toString(entry.ballot())).append('\n');
            }
            if (node.isUp())
            {
                final PaxosNode core = node.node();
                builder.append("    ").append(core.counters()).append('\n');
            }
        }
        for (final SimClient client : clients)
        {
            builder.append("  ").append(client).append('\n');
        }
        return builder.toString();
    }
}
