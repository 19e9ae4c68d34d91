package io.synod.node;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;

/**
 * A counter state machine for tests: each command is a long (its first 8 bytes); it keeps the applied values in
 * order, a running checksum, and answers with the number of commands applied so far. Read from test threads through
 * synchronized copies.
 */
public final class RecordingStateMachine implements StateMachine
{
    private final LongArrayList applied = new LongArrayList();
    private long checksum = 17;

    public synchronized void apply(
        final long slot,
        final long timestamp,
        final DirectBuffer command,
        final int offset,
        final int length,
        final ResponseWriter response)
    {
        final long value = length >= 8 ? command.getLong(offset) : length;
        applied.addLong(value);
        checksum = checksum * 31 + value;
        response.buffer().putLong(0, applied.size());
        response.length(8);
    }

    public synchronized long[] applied()
    {
        return applied.toLongArray();
    }

    public synchronized int size()
    {
        return applied.size();
    }

    public synchronized long checksum()
    {
        return checksum;
    }
}
