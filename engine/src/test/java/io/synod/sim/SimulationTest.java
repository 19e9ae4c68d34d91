package io.synod.sim;

import io.synod.core.CoreConfig;
import io.synod.log.DurabilityPolicy;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.MappedLogConfig;
import io.synod.log.MappedPaxosLog;
import io.synod.log.PaxosLog;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many seeded simulations of 3- and 5-node clusters (even seeds 3 nodes, odd seeds 5). Settings:
 * <ul>
 *     <li>{@code -Dsynod.sim.seeds=N} how many seeds (default 2000 in the build), from {@code -Dsynod.sim.firstSeed};</li>
 *     <li>{@code -Dsynod.sim.seed=S -Dsynod.sim.nodes=K [-Dsynod.sim.log=mapped] [-Dsynod.sim.long=true]} replays
 *     one seed, as printed by a failure;</li>
 *     <li>{@code -Dsynod.sim.trace=N} with a single seed prints every message to or from node N.</li>
 * </ul>
 */
class SimulationTest
{
    static final Function<CoreConfig, PaxosLog> IN_MEMORY =
        config -> new InMemoryPaxosLog(config.maxPayloadLength(), 64 * 1024);

    @Test
    void invariantsHoldAndClusterHealsForEverySeed() throws Exception
    {
        final String single = System.getProperty("synod.sim.seed");
        if (single != null && !single.isEmpty())
        {
            final long seed = Long.parseLong(single);
            final int nodes = Integer.getInteger("synod.sim.nodes", nodesFor(seed));
            if (Boolean.getBoolean("synod.sim.long"))
            {
                System.out.println(new Simulation(seed, nodes, IN_MEMORY, false, true).run());
            }
            else if ("mapped".equals(System.getProperty("synod.sim.log")))
            {
                System.out.println(runOnMappedLog(seed, nodes));
            }
            else
            {
                System.out.println(new Simulation(seed, nodes, IN_MEMORY).run());
            }
            return;
        }

        final long firstSeed = Long.getLong("synod.sim.firstSeed", 1);
        final int seeds = Integer.getInteger("synod.sim.seeds", 200);
        runSeeds(firstSeed, seeds, seed -> new Simulation(seed, nodesFor(seed), IN_MEMORY).run(), "in-memory log");
    }

    /**
     * A share of the seeds on the memory-mapped log, in a temp directory: a crash closes a node's log and a
     * restart recovers it from its files. Small segments, so roll-over happens often.
     */
    @Test
    void invariantsHoldOnTheMappedLogWithRecoveryAtEveryRestart() throws Exception
    {
        if (System.getProperty("synod.sim.seed") != null)
        {
            return;
        }
        final long firstSeed = Long.getLong("synod.sim.firstSeed", 1);
        final int seeds = Math.max(1, Integer.getInteger("synod.sim.seeds", 200) / 20);
        runSeeds(firstSeed, seeds, SimulationTest::runOnMappedLog, "mapped log");
    }

    /**
     * Availability under partitions that last seconds of simulated time (symmetric, one-way, one link cut) and
     * follower restarts: whenever a majority has been connected to each other for 20 election timeouts, exactly one
     * node leads and commands commit. A share of the seeds (one in 80): each run is about eight times longer than a
     * default one.
     */
    @Test
    void availabilityHoldsUnderPartitionsLastingSeconds() throws Exception
    {
        if (System.getProperty("synod.sim.seed") != null)
        {
            return;
        }
        final long firstSeed = Long.getLong("synod.sim.firstSeed", 1);
        final int seeds = Math.max(1, Integer.getInteger("synod.sim.seeds", 200) / 80);
        runSeeds(firstSeed, seeds, SimulationTest::runLongPartitions, "long partitions");
    }

    static SimulationOutcome runLongPartitions(final long seed)
    {
        return new Simulation(seed, nodesFor(seed), IN_MEMORY, false, true).run();
    }

    static SimulationOutcome runOnMappedLog(final long seed)
    {
        return runOnMappedLog(seed, nodesFor(seed));
    }

    static SimulationOutcome runOnMappedLog(final long seed, final int nodes)
    {
        final Path root;
        try
        {
            root = Files.createTempDirectory("synod-sim-" + seed + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        try
        {
            final Function<CoreConfig, PaxosLog> mapped = config -> MappedPaxosLog.open(new MappedLogConfig()
                .directory(root.resolve("node-" + config.nodeId()))
                .segmentLength(64 * 1024)
                .durability(DurabilityPolicy.NONE)
                .maxPayloadLength(config.maxPayloadLength()));
            return new Simulation(seed, nodes, mapped, true).run();
        }
        finally
        {
            IoUtil.delete(root.toFile(), true);
        }
    }

    static int nodesFor(final long seed)
    {
        return seed % 2 == 0 ? 3 : 5;
    }

    static void runSeeds(
        final long firstSeed,
        final int seeds,
        final LongFunction<SimulationOutcome> runner,
        final String label) throws Exception
    {
        final int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        final long start = System.nanoTime();
        try
        {
            final List<Future<SimulationOutcome>> results = new ArrayList<>();
            for (long seed = firstSeed; seed < firstSeed + seeds; seed++)
            {
                final long s = seed;
                results.add(executor.submit(() -> runner.apply(s)));
            }
            final List<String> failures = new ArrayList<>();
            long chosen = 0;
            long crashesInCycle = 0;
            long acknowledged = 0;
            long elections = 0;
            long wipes = 0;
            long availabilityChecks = 0;
            long stableElections = 0;
            int maxHealTicks = 0;
            final SimulationOutcome clients = new SimulationOutcome(firstSeed, 0, 0, 0, 0, 0, 0);
            for (int i = 0; i < results.size(); i++)
            {
                try
                {
                    final SimulationOutcome outcome = results.get(i).get();
                    chosen += outcome.chosenSlots;
                    acknowledged += outcome.acknowledged;
                    elections += outcome.elections;
                    wipes += outcome.wipes;
                    availabilityChecks += outcome.availabilityChecks;
                    stableElections += outcome.stableElections;
                    maxHealTicks = Math.max(maxHealTicks, outcome.healTicks);
                    crashesInCycle += outcome.crashesInCycle;
                    clients.clientFailovers += outcome.clientFailovers;
                    clients.clientRedirects += outcome.clientRedirects;
                    clients.clientResends += outcome.clientResends;
                    clients.busyAnswers += outcome.busyAnswers;
                    clients.sequenceGapAnswers += outcome.sequenceGapAnswers;
                }
                catch (final java.util.concurrent.ExecutionException ex)
                {
                    failures.add(ex.getCause().getMessage());
                }
            }
            final long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("simulation (%s): %d seeds from %d in %d ms on %d threads: %d slots chosen, " +
                "%d commands acknowledged, %d elections, %d crashes inside a duty cycle, %d wipes, " +
                "slowest heal %d ticks, %d availability checks, %d elections in stable periods, %d failed%n",
                label, seeds, firstSeed, millis, threads, chosen, acknowledged, elections, crashesInCycle, wipes,
                maxHealTicks, availabilityChecks, stableElections, failures.size());
            // The real client session's rules at work (a line of its own: the summary line above stays comparable).
            System.out.printf("simulated clients (%s): %d failovers, %d redirects, %d resends, %d BUSY, " +
                "%d SEQUENCE_GAP%n", label, clients.clientFailovers, clients.clientRedirects, clients.clientResends,
                clients.busyAnswers, clients.sequenceGapAnswers);
            if (!failures.isEmpty())
            {
                fail(failures.size() + " of " + seeds + " seeds failed; first:\n" + failures.get(0));
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }
}
