package io.synod.samples.kv;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Object2IntHashMap;

import java.util.Arrays;

import static io.synod.samples.kv.KeyValueCommands.CAS;
import static io.synod.samples.kv.KeyValueCommands.CAS_FAILED;
import static io.synod.samples.kv.KeyValueCommands.DELETE;
import static io.synod.samples.kv.KeyValueCommands.GET;
import static io.synod.samples.kv.KeyValueCommands.KEY_TOO_LONG;
import static io.synod.samples.kv.KeyValueCommands.MALFORMED;
import static io.synod.samples.kv.KeyValueCommands.NOT_FOUND;
import static io.synod.samples.kv.KeyValueCommands.NO_VALUE;
import static io.synod.samples.kv.KeyValueCommands.OK;
import static io.synod.samples.kv.KeyValueCommands.ORDER;
import static io.synod.samples.kv.KeyValueCommands.PUT;
import static io.synod.samples.kv.KeyValueCommands.VALUE_TOO_LONG;

/**
 * A key-value store as a Synod state machine: byte-string keys and values, commands and responses laid out as in
 * {@link KeyValueCommands}.
 * <p>
 * Storage: one {@link ExpandableArrayBuffer} arena of fixed-size records, one per key, each with room for the largest
 * key and value ({@code [keyLength int32][valueLength int32][key][value]}, 8-byte aligned). An
 * {@link Object2IntHashMap} indexes the records by key content through {@link KeyBytes} flyweights: one per record,
 * over the key in the arena, and one probe wrapped over each command's key. Deleted records go on a free list and are
 * reused, last freed first.
 * <p>
 * Allocation: GET, DELETE, CAS and PUT of an existing key allocate nothing. A PUT of a new key allocates only when the
 * store holds more keys than it ever did: a key flyweight for the new record, and sometimes a larger arena or index.
 * Fixed-size records trade memory (every record reserves maxKeyLength + maxValueLength) for no fragmentation and no
 * compaction.
 * <p>
 * Deterministic: the state depends only on the commands in order; neither the slot nor the timestamp is used.
 */
public final class KeyValueStateMachine implements StateMachine
{
    private static final int NO_RECORD = -1;
    private static final int FREE = -1;
    private static final int KEY_LENGTH_OFFSET = 0;
    private static final int VALUE_LENGTH_OFFSET = 4;
    private static final int KEY_OFFSET = 8;

    private final int maxKeyLength;
    private final int maxValueLength;
    private final int recordLength;
    private final ExpandableArrayBuffer arena;
    private final Object2IntHashMap<KeyBytes> index = new Object2IntHashMap<>(NO_RECORD);
    private final IntArrayList freeRecords = new IntArrayList();
    private final KeyBytes probe = new KeyBytes();
    private final KeyValueCommands.CommandDecoder command = new KeyValueCommands.CommandDecoder();
    private KeyBytes[] recordKeys = new KeyBytes[16];
    private int recordCount;

    /**
     * @param maxKeyLength   largest key in bytes; longer ones are refused with KEY_TOO_LONG.
     * @param maxValueLength largest value in bytes; longer ones are refused with VALUE_TOO_LONG.
     */
    public KeyValueStateMachine(final int maxKeyLength, final int maxValueLength)
    {
        if (maxKeyLength < 1)
        {
            throw new IllegalArgumentException("maxKeyLength must be >= 1: " + maxKeyLength);
        }
        if (maxValueLength < 0)
        {
            throw new IllegalArgumentException("maxValueLength must be >= 0: " + maxValueLength);
        }
        this.maxKeyLength = maxKeyLength;
        this.maxValueLength = maxValueLength;
        this.recordLength = BitUtil.align(KEY_OFFSET + maxKeyLength + maxValueLength, 8);
        this.arena = new ExpandableArrayBuffer(recordLength * 16);
    }

    /**
     * The payload the replicas must accept for this store: a node's {@code maxPayloadLength} must be at least this.
     *
     * @param maxKeyLength   of the store.
     * @param maxValueLength of the store.
     * @return the longest command (a CAS of the largest key, expected and new values); responses are shorter.
     */
    public static int maxCommandLength(final int maxKeyLength, final int maxValueLength)
    {
        return KeyValueCommands.COMMAND_HEADER_LENGTH + maxKeyLength + 2 * maxValueLength;
    }

    /**
     * Apply one PUT, GET, DELETE or CAS and write its response.
     */
    public void apply(
        final long slot,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseWriter response)
    {
        final MutableDirectBuffer out = response.buffer();
        if (!command.wrap(buffer, offset, length))
        {
            response.length(KeyValueCommands.ResponseEncoder.encode(out, 0, MALFORMED));
            return;
        }
        final int keyLength = command.keyLength();
        if (keyLength > maxKeyLength)
        {
            response.length(KeyValueCommands.ResponseEncoder.encode(out, 0, KEY_TOO_LONG));
            return;
        }
        probe.wrap(buffer, command.keyOffset(), keyLength);
        final int record = index.getValue(probe);
        switch (command.op())
        {
            case PUT:
                response.length(put(record, out));
                break;

            case GET:
                response.length(record == NO_RECORD ?
                    KeyValueCommands.ResponseEncoder.encode(out, 0, NOT_FOUND) : encodeValue(out, OK, record));
                break;

            case DELETE:
                response.length(delete(record, out));
                break;

            case CAS:
                response.length(compareAndSet(record, out));
                break;

            default:
                response.length(KeyValueCommands.ResponseEncoder.encode(out, 0, MALFORMED));
                break;
        }
    }

    /** @return keys stored. */
    public int size()
    {
        return index.size();
    }

    /**
     * A digest of the contents, independent of the order keys were stored in: equal on two replicas that applied the
     * same commands. Reads every record; for tests and demos, not the hot path.
     *
     * @return the digest.
     */
    public long digest()
    {
        long digest = index.size();
        for (int record = 0; record < recordCount; record++)
        {
            final int at = record * recordLength;
            final int keyLength = arena.getInt(at + KEY_LENGTH_OFFSET, ORDER);
            if (keyLength != FREE)
            {
                final int valueLength = arena.getInt(at + VALUE_LENGTH_OFFSET, ORDER);
                digest += entryDigest(arena, at + KEY_OFFSET, keyLength, at + KEY_OFFSET + maxKeyLength, valueLength);
            }
        }
        return digest;
    }

    /**
     * The digest one entry adds to {@link #digest()}: a reference model can compute the same sum.
     *
     * @param buffer      holding key and value.
     * @param keyOffset   of the key.
     * @param keyLength   of the key.
     * @param valueOffset of the value.
     * @param valueLength of the value.
     * @return a 64-bit FNV-1a hash of the key length, key, value length and value, finished by a mix step.
     */
    public static long entryDigest(
        final DirectBuffer buffer,
        final int keyOffset,
        final int keyLength,
        final int valueOffset,
        final int valueLength)
    {
        long hash = 0xCBF29CE484222325L;
        hash = (hash ^ keyLength) * 0x100000001B3L;
        for (int i = 0; i < keyLength; i++)
        {
            hash = (hash ^ (buffer.getByte(keyOffset + i) & 0xFF)) * 0x100000001B3L;
        }
        hash = (hash ^ valueLength) * 0x100000001B3L;
        for (int i = 0; i < valueLength; i++)
        {
            hash = (hash ^ (buffer.getByte(valueOffset + i) & 0xFF)) * 0x100000001B3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xFF51AFD7ED558CCDL;
        return hash ^ (hash >>> 33);
    }

    private int put(final int record, final MutableDirectBuffer out)
    {
        final int valueLength = command.valueLength();
        if (valueLength > maxValueLength)
        {
            return KeyValueCommands.ResponseEncoder.encode(out, 0, VALUE_TOO_LONG);
        }
        store(record, command.valueOffset(), valueLength);
        return KeyValueCommands.ResponseEncoder.encode(out, 0, OK);
    }

    private int delete(final int record, final MutableDirectBuffer out)
    {
        if (record == NO_RECORD)
        {
            return KeyValueCommands.ResponseEncoder.encode(out, 0, NOT_FOUND);
        }
        index.removeKey(probe);
        arena.putInt(record * recordLength + KEY_LENGTH_OFFSET, FREE, ORDER);
        freeRecords.pushInt(record);
        return KeyValueCommands.ResponseEncoder.encode(out, 0, OK);
    }

    private int compareAndSet(final int record, final MutableDirectBuffer out)
    {
        final int valueLength = command.valueLength();
        if (valueLength > maxValueLength)
        {
            return KeyValueCommands.ResponseEncoder.encode(out, 0, VALUE_TOO_LONG);
        }
        if (!holdsExpected(record))
        {
            return record == NO_RECORD ?
                KeyValueCommands.ResponseEncoder.encode(out, 0, CAS_FAILED) : encodeValue(out, CAS_FAILED, record);
        }
        store(record, command.valueOffset(), valueLength);
        return KeyValueCommands.ResponseEncoder.encode(out, 0, OK);
    }

    private boolean holdsExpected(final int record)
    {
        final int expectedLength = command.expectedLength();
        if (record == NO_RECORD)
        {
            return expectedLength == NO_VALUE;
        }
        final int at = record * recordLength;
        return expectedLength == arena.getInt(at + VALUE_LENGTH_OFFSET, ORDER) && KeyBytes.sameBytes(
            command.buffer(), command.expectedOffset(), arena, at + KEY_OFFSET + maxKeyLength, expectedLength);
    }

    /**
     * Write the command's value into the record of its key, taking a record for a new key.
     */
    private void store(final int existingRecord, final int valueOffset, final int valueLength)
    {
        int record = existingRecord;
        if (record == NO_RECORD)
        {
            record = takeRecord();
            final int at = record * recordLength;
            final int keyLength = command.keyLength();
            arena.putInt(at + KEY_LENGTH_OFFSET, keyLength, ORDER);
            arena.putBytes(at + KEY_OFFSET, command.buffer(), command.keyOffset(), keyLength);
            index.put(recordKeys[record].wrap(arena, at + KEY_OFFSET, keyLength), record);
        }
        final int at = record * recordLength;
        arena.putInt(at + VALUE_LENGTH_OFFSET, valueLength, ORDER);
        arena.putBytes(at + KEY_OFFSET + maxKeyLength, command.buffer(), valueOffset, valueLength);
    }

    private int takeRecord()
    {
        if (!freeRecords.isEmpty())
        {
            return freeRecords.popInt();
        }
        final int record = recordCount++;
        if (record == recordKeys.length)
        {
            recordKeys = Arrays.copyOf(recordKeys, record * 2);
        }
        recordKeys[record] = new KeyBytes();
        arena.checkLimit((record + 1) * recordLength);
        return record;
    }

    private int encodeValue(final MutableDirectBuffer out, final byte status, final int record)
    {
        final int at = record * recordLength;
        return KeyValueCommands.ResponseEncoder.encode(
            out, 0, status, arena, at + KEY_OFFSET + maxKeyLength, arena.getInt(at + VALUE_LENGTH_OFFSET, ORDER));
    }

    public String toString()
    {
        return "KeyValueStateMachine{keys=" + index.size() + ", records=" + recordCount + ", maxKeyLength=" +
            maxKeyLength + ", maxValueLength=" + maxValueLength + '}';
    }
}
