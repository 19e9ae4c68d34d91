package io.synod.sim;

import io.synod.Role;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The long-partition fault schedule of a {@link Simulation} and its availability assertion: partitions that last
 * seconds of simulated time (symmetric splits, a node that cannot be heard or hears nobody, one link cut both ways),
 * follower restarts, and, whenever a majority has been connected long enough, one leader and commits.
 */
final class LongPartitions
{
    private final Random random;
    private final SimNetwork network;
    private final List<SimNode> nodes;
    private final int nodeCount;
    private final long[] restartAt;
    private final SimNode.CrashKind crashKind;
    private final Consumer<String> events;
    private final long maxElectionTimeoutNs;
    private final int windowEntries;
    // A new cluster forms only with every member up (the learner rule): let it, before the first episode.
    private int nextEpisodeAt = 2_000;
    private int connectivityChangedAt;
    private int lastCommitAdvanceAt;
    private long maxCommitSeen;
    private long stableElections;
    private int availabilityChecks;
    private long stableElectionsBase;
    private int majorityReadySince = -1;
    private int notOneLeaderSince = -1;

    LongPartitions(
        final Random random,
        final SimNetwork network,
        final List<SimNode> nodes,
        final long[] restartAt,
        final SimNode.CrashKind crashKind,
        final Consumer<String> events,
        final long maxElectionTimeoutNs,
        final int windowEntries)
    {
        this.random = random;
        this.network = network;
        this.nodes = nodes;
        this.nodeCount = nodes.size();
        this.restartAt = restartAt;
        this.crashKind = crashKind;
        this.events = events;
        this.maxElectionTimeoutNs = maxElectionTimeoutNs;
        this.windowEntries = windowEntries;
    }

    /** @return ticks at which availability was asserted. */
    int availabilityChecks()
    {
        return availabilityChecks;
    }

    /** @return elections started while a majority had been connected long enough. */
    long stableElections()
    {
        return stableElections;
    }

    /**
     * Long-partition runs: every 0.3 to 1.5 s of simulated time the network changes shape, all links healed first.
     * A restarted follower comes back after 20 to 120 ms.
     */
    void inject(final int tick)
    {
        for (int i = 0; i < nodeCount; i++)
        {
            final SimNode node = nodes.get(i);
            if (!node.isUp() && tick >= restartAt[i])
            {
                node.start();
                connectivityChangedAt = tick;
                events.accept("restart node " + i);
            }
        }
        if (tick < nextEpisodeAt)
        {
            return;
        }
        nextEpisodeAt = tick + 3_000 + random.nextInt(12_000);
        connectivityChangedAt = tick;
        for (int from = 0; from < nodeCount; from++)
        {
            for (int to = 0; to < nodeCount; to++)
            {
                network.block(from, to, false);
            }
        }
        final int shape = random.nextInt(5);
        final int a = random.nextInt(nodeCount);
        final int b = (a + 1 + random.nextInt(nodeCount - 1)) % nodeCount;
        final StringBuilder description = new StringBuilder();
        switch (shape)
        {
            case 0:
                description.append("healthy");
                break;

            case 1:
                description.append("symmetric split, side A:");
                final boolean[] sideA = new boolean[nodeCount];
                for (int i = 0; i < nodeCount; i++)
                {
                    sideA[i] = random.nextBoolean();
                    description.append(sideA[i] ? " " + i : "");
                }
                for (int from = 0; from < nodeCount; from++)
                {
                    for (int to = 0; to < nodeCount; to++)
                    {
                        network.block(from, to, sideA[from] != sideA[to]);
                    }
                }
                break;

            case 2:
                final boolean outgoing = random.nextBoolean();
                description.append("one-way: node ").append(a).append(outgoing ? " cannot be heard" : " hears nobody");
                for (int other = 0; other < nodeCount; other++)
                {
                    if (other != a)
                    {
                        network.block(outgoing ? a : other, outgoing ? other : a, true);
                    }
                }
                break;

            case 3:
                description.append("partial: link ").append(a).append('-').append(b).append(" cut");
                network.block(a, b, true);
                network.block(b, a, true);
                break;

            default:
                int victim = random.nextInt(nodeCount);
                if (nodes.get(victim).isUp() && nodes.get(victim).node().role() == Role.LEADER)
                {
                    victim = (victim + 1) % nodeCount;
                }
                final SimNode node = nodes.get(victim);
                description.append("restart of follower ").append(victim);
                if (node.isUp())
                {
                    node.crash(crashKind);
                    restartAt[victim] = tick + 200 + random.nextInt(1_000);
                }
                break;
        }
        events.accept("long partition: " + description);
    }

    /**
     * Whenever a majority of up nodes has been connected to each other (both ways, every pair) and caught up for
     * {@link Simulation#AVAILABILITY_TIMEOUTS} election timeouts: exactly one node leads (outside a handover of at most two
     * election timeouts), and the commit index advanced within
     * the last half of that time (the clients send all the time). Caught up: within two windows of the highest commit
     * index. A member that was cut off while the others committed tens of thousands of entries must first receive
     * them (a new slot is chosen only by a majority holding every slot before it); how fast that goes is catch-up's
     * business, checked by the heal at the end of every run, not election's.
     */
    void check(final int tick)
    {
        long maxCommit = 0;
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                maxCommit = Math.max(maxCommit, node.node().commitIndex());
            }
        }
        if (maxCommit > maxCommitSeen)
        {
            maxCommitSeen = maxCommit;
            lastCommitAdvanceAt = tick;
        }
        final int window = (int)(Simulation.AVAILABILITY_TIMEOUTS * maxElectionTimeoutNs / Simulation.TICK_NS);
        if (connectivityChangedAt == tick || !majorityConnected(maxCommit - 2L * windowEntries - 16))
        {
            majorityReadySince = -1;
            notOneLeaderSince = -1;
            return;
        }
        if (majorityReadySince < 0)
        {
            majorityReadySince = tick;
        }
        if (tick - majorityReadySince < window)
        {
            return;
        }
        availabilityChecks++;
        int leaders = 0;
        long elections = 0;
        for (final SimNode node : nodes)
        {
            if (node.isUp())
            {
                leaders += node.node().role() == Role.LEADER ? 1 : 0;
                elections += node.node().counters().electionsStarted();
            }
        }
        if (tick - majorityReadySince == window)
        {
            stableElectionsBase = elections;
        }
        stableElections = Math.max(stableElections, elections - stableElectionsBase);
        // A handover (a lost heartbeat ends a lease; the new leader's first heartbeat ends the old one's role) may
        // leave none or two for a moment, never longer than two election timeouts.
        if (leaders == 1)
        {
            notOneLeaderSince = -1;
        }
        else if (notOneLeaderSince < 0)
        {
            notOneLeaderSince = tick;
        }
        else if (tick - notOneLeaderSince > 2 * maxElectionTimeoutNs / Simulation.TICK_NS)
        {
            throw new AssertionError("availability: a majority connected for " + (tick - majorityReadySince) +
                " ticks, but " + leaders + " leaders for " + (tick - notOneLeaderSince) + " ticks");
        }
        if (tick - lastCommitAdvanceAt > window / 2)
        {
            throw new AssertionError("availability: a majority connected for " + (tick - majorityReadySince) +
                " ticks, but nothing committed for " + (tick - lastCommitAdvanceAt) + " ticks");
        }
    }

    /**
     * @return true if some majority of up nodes whose commit index is at least caughtUp are pairwise connected both
     * ways.
     */
    private boolean majorityConnected(final long caughtUp)
    {
        final int majority = nodeCount / 2 + 1;
        for (int set = 1; set < 1 << nodeCount; set++)
        {
            if (Integer.bitCount(set) < majority)
            {
                continue;
            }
            boolean connected = true;
            for (int i = 0; i < nodeCount && connected; i++)
            {
                if ((set & 1 << i) == 0)
                {
                    continue;
                }
                connected = nodes.get(i).isUp() && nodes.get(i).node().commitIndex() >= caughtUp;
                for (int j = 0; j < nodeCount && connected; j++)
                {
                    connected = i == j || (set & 1 << j) == 0 || !network.isBlocked(i, j);
                }
            }
            if (connected)
            {
                return true;
            }
        }
        return false;
    }
}
