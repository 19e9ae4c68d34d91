package io.synod.sim;

import io.synod.Role;
import org.HdrHistogram.Histogram;

import java.util.function.BiConsumer;

/**
 * Time to a stable leader after a partition heals, per partition shape, on three real cores in the scripted cluster
 * (simulated time: every message takes one tick of 0.1 ms, the election timeout is 2 ms). Figures are given in
 * election timeouts so they carry over to the runtime's settings. Not a test; run it with
 * {@code java -cp <engine test classpath> io.synod.sim.PartitionHealTimes}.
 * <p>
 * Each shape is applied to a healthy cluster led by node 2 for a duration that varies from run to run (so the heal
 * falls at every phase of the heartbeat), then healed; a leader is stable once one node has led, alone, for 20
 * election timeouts. Reported: from the partition to the start of a stable leadership while it lasts (0 when the
 * leader keeps leading), from the heal to the start of a stable leadership (0 when the heal disturbs nothing), and
 * the elections started per run.
 */
public final class PartitionHealTimes
{
    private static final int NODES = 3;
    private static final int RUNS = 20;
    private static final int ELECTION_TIMEOUT_TICKS = (int)(2 * ScriptedCluster.HEARTBEAT_NS / ScriptedCluster.TICK_NS);
    private static final int STABLE_TICKS = 20 * ELECTION_TIMEOUT_TICKS;
    private static final int MAX_TICKS = 2_000 * ELECTION_TIMEOUT_TICKS;

    private PartitionHealTimes()
    {
    }

    /**
     * @param args none.
     */
    public static void main(final String[] args)
    {
        System.out.printf("config: %d nodes, scripted cluster (one tick per message, 0.1 ms), heartbeat 1 ms, " +
            "election timeout 2 ms = %d ticks, %d runs per shape, partitions of 30 to 100 election timeouts%n",
            NODES, ELECTION_TIMEOUT_TICKS, RUNS);
        System.out.printf("%-38s %24s %24s %10s%n", "", "partition -> stable leader", "heal -> stable leader", "");
        System.out.printf("%-38s %12s %11s %12s %11s %10s%n",
            "shape (node 2 leads before it)", "p50", "max", "p50", "max", "elections");
        measure("leader isolated both ways", (cluster, on) -> isolate(cluster, 2, on));
        measure("leader hears nobody (deaf)", (cluster, on) -> links(cluster, on, 0, 2, 1, 2));
        measure("nobody hears the leader (mute)", (cluster, on) -> links(cluster, on, 2, 0, 2, 1));
        measure("link leader-follower cut both ways", (cluster, on) -> links(cluster, on, 2, 0, 0, 2));
        measure("link between the followers cut", (cluster, on) -> links(cluster, on, 0, 1, 1, 0));
        measure("follower isolated both ways", (cluster, on) -> isolate(cluster, 0, on));
    }

    private static void measure(final String shape, final BiConsumer<ScriptedCluster, Boolean> partition)
    {
        final Histogram ticksToStable = new Histogram(MAX_TICKS, 3);
        final Histogram ticksToStableInPartition = new Histogram(MAX_TICKS, 3);
        long elections = 0;
        for (int run = 0; run < RUNS; run++)
        {
            try (ScriptedCluster cluster = new ScriptedCluster(NODES, SimNode.CrashKind.PROCESS))
            {
                cluster.runUntil("node 2 leads", () -> cluster.isLeader(2), MAX_TICKS);
                cluster.run(STABLE_TICKS + run * 3); // the partition starts at another phase of the heartbeat each run
                final long electionsBefore = elections(cluster);
                partition.accept(cluster, true);
                final int inPartition = ticksToStableLeader(cluster);
                ticksToStableInPartition.recordValue(inPartition);
                final int duration = 30 * ELECTION_TIMEOUT_TICKS + run * 37 * ELECTION_TIMEOUT_TICKS / 10;
                cluster.run(Math.max(0, duration - inPartition - STABLE_TICKS));
                partition.accept(cluster, false);
                ticksToStable.recordValue(ticksToStableLeader(cluster));
                elections += elections(cluster) - electionsBefore;
            }
        }
        System.out.printf("%-38s %9.1f ET %8.1f ET %9.1f ET %8.1f ET %10.1f%n", shape,
            ticksToStableInPartition.getValueAtPercentile(50) / (double)ELECTION_TIMEOUT_TICKS,
            ticksToStableInPartition.getMaxValue() / (double)ELECTION_TIMEOUT_TICKS,
            ticksToStable.getValueAtPercentile(50) / (double)ELECTION_TIMEOUT_TICKS,
            ticksToStable.getMaxValue() / (double)ELECTION_TIMEOUT_TICKS, elections / (double)RUNS);
    }

    /**
     * @return ticks from now until the start of a leadership that then lasts, alone, for {@link #STABLE_TICKS}.
     */
    private static int ticksToStableLeader(final ScriptedCluster cluster)
    {
        int leader = -1;
        int since = 0;
        for (int tick = 0; tick < MAX_TICKS; tick++)
        {
            final int current = soleLeader(cluster);
            if (current != leader)
            {
                leader = current;
                since = tick;
            }
            else if (leader >= 0 && tick - since >= STABLE_TICKS)
            {
                return since;
            }
            cluster.tick();
        }
        return MAX_TICKS;
    }

    private static int soleLeader(final ScriptedCluster cluster)
    {
        int leader = -1;
        for (int id = 0; id < NODES; id++)
        {
            final SimNode node = cluster.node(id);
            if (node.isUp() && node.node().role() == Role.LEADER)
            {
                if (leader >= 0)
                {
                    return -1;
                }
                leader = id;
            }
        }
        return leader;
    }

    private static long elections(final ScriptedCluster cluster)
    {
        long elections = 0;
        for (int id = 0; id < NODES; id++)
        {
            final SimNode node = cluster.node(id);
            if (node.isUp())
            {
                elections += node.node().counters().electionsStarted();
            }
        }
        return elections;
    }

    private static void isolate(final ScriptedCluster cluster, final int nodeId, final boolean on)
    {
        if (on)
        {
            cluster.isolate(nodeId);
        }
        else
        {
            cluster.reconnect(nodeId);
        }
    }

    /** Block or unblock the directed links given as from, to pairs. */
    private static void links(final ScriptedCluster cluster, final boolean on, final int... pairs)
    {
        for (int i = 0; i < pairs.length; i += 2)
        {
            if (on)
            {
                cluster.block(pairs[i], pairs[i + 1]);
            }
            else
            {
                cluster.unblock(pairs[i], pairs[i + 1]);
            }
        }
    }
}
