package io.synod.perf;

import io.aeron.CncFileDescriptor;
import io.synod.core.Ballot;
import io.synod.node.NodeCounters;
import io.synod.node.NodeHealth;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * Prints the Synod counters of a running node from its Aeron directory, like Aeron's {@code AeronStat} (which
 * prints every counter but is in aeron-samples, not a dependency here), with the ballot decoded into round and node:
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/synod-benchmarks.jar \
 *     io.synod.perf.SynodStat /dev/shm/aeron-root-synod-node-1 [intervalMs|once] [all]
 * </pre>
 * With {@code all} it prints the driver's own counters too. As a health check for scripts:
 * <pre>
 * java ... io.synod.perf.SynodStat --health /dev/shm/aeron-root-synod-node-1 [--node=1] [--max-lag=10000]
 * </pre>
 * prints one line, "healthy: ..." or "unhealthy: reason", and exits 0 when healthy, 1 when not (see
 * {@link NodeHealth}), 2 for a usage error.
 */
public final class SynodStat
{
    /** Default bound of apply lag and peer lag, in slots, of the health check. */
    public static final long MAX_LAG_DEFAULT = 10_000;

    private SynodStat()
    {
    }

    /**
     * @param args Aeron directory, then optionally an interval in ms or "once", then optionally "all"; or
     *             {@code --health}, the Aeron directory, and optionally {@code --node=N} and {@code --max-lag=N}.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length < 1)
        {
            System.err.println("usage: SynodStat <aeron dir> [intervalMs|once] [all]");
            System.err.println("       SynodStat --health <aeron dir> [--node=N] [--max-lag=" + MAX_LAG_DEFAULT + "]");
            System.exit(2);
        }
        if ("--health".equals(args[0]))
        {
            System.exit(health(args));
        }
        final File cncFile = new File(args[0], CncFileDescriptor.CNC_FILE);
        final boolean once = args.length > 1 && "once".equals(args[1]);
        final long intervalMs = args.length > 1 && !once ? Long.parseLong(args[1]) : 1000;
        final boolean all = args.length > 2 && "all".equals(args[2]);
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        try
        {
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            do
            {
                System.out.println("--- " + cncFile + " " + new java.util.Date());
                counters.forEach((counterId, typeId, keyBuffer, label) ->
                {
                    if (all || (typeId >= NodeCounters.TYPE_ID_BASE && typeId < NodeCounters.TYPE_ID_BASE + 100))
                    {
                        final long value = counters.getCounterValue(counterId);
                        System.out.printf("%3d: %,20d - %s%s%n", counterId, value, label,
                            typeId == NodeCounters.BALLOT_TYPE_ID ? " (round " + Ballot.round(value) + ", node " +
                            Ballot.nodeId(value) + ")" : "");
                    }
                });
                if (!once)
                {
                    Thread.sleep(intervalMs);
                }
            }
            while (!once);
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /**
     * @param args {@code --health}, the Aeron directory, then {@code --node=N} and {@code --max-lag=N}.
     * @return the exit code: 0 healthy, 1 not, 2 a usage error.
     */
    static int health(final String[] args)
    {
        if (args.length < 2)
        {
            System.err.println("usage: SynodStat --health <aeron dir> [--node=N] [--max-lag=N]");
            return 2;
        }
        int nodeId = -1;
        long maxLag = MAX_LAG_DEFAULT;
        try
        {
            for (int i = 2; i < args.length; i++)
            {
                if (args[i].startsWith("--node="))
                {
                    nodeId = Integer.parseInt(args[i].substring("--node=".length()));
                }
                else if (args[i].startsWith("--max-lag="))
                {
                    maxLag = Long.parseLong(args[i].substring("--max-lag=".length()));
                }
                else
                {
                    System.err.println("unknown argument " + args[i] + "; expected --node=N or --max-lag=N");
                    return 2;
                }
            }
        }
        catch (final NumberFormatException ex)
        {
            System.err.println("not a number: " + ex.getMessage());
            return 2;
        }
        final NodeHealth.Result result = NodeHealth.check(new File(args[1]), nodeId, maxLag);
        System.out.println(result.line());
        return result.healthy() ? 0 : 1;
    }
}
