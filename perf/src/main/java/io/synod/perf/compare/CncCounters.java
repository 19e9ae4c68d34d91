package io.synod.perf.compare;

import io.aeron.CncFileDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.function.ToLongFunction;

/** Reads the counters of another process's media driver from its cnc file, as AeronStat does. */
public final class CncCounters
{
    /** Matches a counter of any type id. */
    public static final int ANY_TYPE = -1;

    private CncCounters()
    {
    }

    /**
     * @param aeronDir the driver's directory.
     * @param typeId   the counter's type id, or {@link #ANY_TYPE}.
     * @param label    the counter's label, or null for the first counter of that type.
     * @return its value, -1 if the driver is down, still laying out its file, or has no such counter.
     */
    public static long read(final File aeronDir, final int typeId, final String label)
    {
        return query(aeronDir, (counters) ->
        {
            final long[] found = {-1};
            counters.forEach((counterId, counterTypeId, keyBuffer, counterLabel) ->
            {
                final boolean typeMatches = typeId == ANY_TYPE || counterTypeId == typeId;
                if (found[0] < 0 && typeMatches && (label == null || counterLabel.equals(label)))
                {
                    found[0] = counters.getCounterValue(counterId);
                }
            });
            return found[0];
        });
    }

    /**
     * @param aeronDir the driver's directory.
     * @param typeId   the counters' type id (e.g. Aeron's publisher limit: one per publication).
     * @return how many counters of that type are allocated, -1 if the driver is down or still laying out its file.
     */
    public static long count(final File aeronDir, final int typeId)
    {
        return query(aeronDir, (counters) ->
        {
            final long[] found = {0};
            counters.forEach((counterId, counterTypeId, keyBuffer, counterLabel) ->
            {
                if (counterTypeId == typeId)
                {
                    found[0]++;
                }
            });
            return found[0];
        });
    }

    /** Map the cnc file, ask the query of its counters, unmap; -1 if the driver is down or still laying it out. */
    private static long query(final File aeronDir, final ToLongFunction<CountersReader> query)
    {
        final File cnc = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        if (cnc.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return -1;
        }
        MappedByteBuffer buffer = null;
        try
        {
            buffer = IoUtil.mapExistingFile(cnc, "cnc");
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(buffer);
            return query.applyAsLong(new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(buffer, metaData),
                CncFileDescriptor.createCountersValuesBuffer(buffer, metaData)));
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
        finally
        {
            if (buffer != null)
            {
                IoUtil.unmap(buffer);
            }
        }
    }
}
