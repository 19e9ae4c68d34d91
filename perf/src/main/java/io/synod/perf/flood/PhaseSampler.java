package io.synod.perf.flood;

import java.io.File;

/**
 * Samples the leader every 200 ms while a phase runs, keeping the highest RSS, publications, images and registered
 * clients seen: a flood's registrations can time out before the phase ends, so its end alone would miss them.
 */
final class PhaseSampler extends Thread implements AutoCloseable
{
    private static final long PERIOD_MS = 200;

    private final File runDir;
    private final Process[] nodes;
    private volatile PhaseRecord record;
    private volatile boolean running = true;

    PhaseSampler(final File runDir, final Process[] nodes)
    {
        super("flood-phase-sampler");
        setDaemon(true);
        this.runDir = runDir;
        this.nodes = nodes;
    }

    /** @param record the phase to sample into from now, or null for none. */
    void phase(final PhaseRecord record)
    {
        this.record = record;
    }

    @Override
    public void run()
    {
        while (running)
        {
            final PhaseRecord current = record;
            final int leader = NodeStats.leader(runDir);
            if (current != null && leader >= 0)
            {
                current.rssMaxKb = Math.max(current.rssMaxKb, PhaseRecord.rssKb(nodes[leader].pid()));
                current.publicationsMax = Math.max(current.publicationsMax, NodeStats.publications(runDir, leader));
                current.imagesMax = Math.max(current.imagesMax, NodeStats.images(runDir, leader));
                current.clientsMax = Math.max(current.clientsMax, NodeStats.counter(runDir, leader,
                    NodeStats.CLIENTS));
            }
            try
            {
                Thread.sleep(PERIOD_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        interrupt();
        join(5_000);
    }
}
