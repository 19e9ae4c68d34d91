package io.synod.perf;

import io.aeron.CncFileDescriptor;
import io.synod.node.NodeCounters;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * Prints the Synod counters of a running node from its Aeron directory, like Aeron's {@code AeronStat} (which
 * prints every counter but is in aeron-samples, not a dependency here):
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/synod-benchmarks.jar \
 *     io.synod.perf.SynodStat /dev/shm/aeron-root-synod-node-1 [intervalMs|once] [all]
 * </pre>
 * With {@code all} it prints the driver's own counters too.
 */
public final class SynodStat
{
    private SynodStat()
    {
    }

    /**
     * @param args Aeron directory, then optionally an interval in ms or "once", then optionally "all".
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length < 1)
        {
            System.err.println("usage: SynodStat <aeron dir> [intervalMs|once] [all]");
            System.exit(1);
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
                        System.out.printf("%3d: %,20d - %s%n", counterId, counters.getCounterValue(counterId), label);
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
}
