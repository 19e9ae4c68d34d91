package io.synod.node;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.DirectBuffer;

/**
 * The default state machine of {@link SynodNodeMain}: counts commands and keeps a running checksum of their bytes,
 * answering each command with the count so far. Enough to run and watch a cluster without user code.
 */
public final class CounterStateMachine implements StateMachine
{
    private volatile long count;
    private volatile long checksum = 17;

    /** {@inheritDoc} */
    public void apply(
        final long slot,
        final long timestamp,
        final DirectBuffer command,
        final int offset,
        final int length,
        final ResponseWriter response)
    {
        long sum = checksum;
        for (int i = 0; i < length; i++)
        {
            sum = sum * 31 + command.getByte(offset + i);
        }
        checksum = sum;
        final long newCount = count + 1;
        count = newCount;
        response.buffer().putLong(0, newCount);
        response.length(8);
    }

    /** @return commands applied. */
    public long count()
    {
        return count;
    }

    /** @return running checksum of every command's bytes, in order. */
    public long checksum()
    {
        return checksum;
    }

    public String toString()
    {
        return "count=" + count + " checksum=" + Long.toHexString(checksum);
    }
}
