package io.synod.samples.kv;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The bytes of key-value commands and responses: simple fixed layouts, little-endian, written and read by the
 * flyweights here, which wrap a buffer and never copy or allocate.
 * <p>
 * Command, {@link #COMMAND_HEADER_LENGTH} bytes of header then the byte strings:
 * <pre>
 *   0  int8   op              PUT 1, GET 2, DELETE 3, CAS 4
 *   1  3 bytes reserved, 0
 *   4  int32  keyLength
 *   8  int32  valueLength     PUT, CAS: the new value; 0 otherwise
 *  12  int32  expectedLength  CAS: the value expected, or -1 for "key must be absent"; 0 otherwise
 *  16  key bytes, then expected bytes (CAS), then value bytes
 * </pre>
 * Response, {@link #RESPONSE_HEADER_LENGTH} bytes of header then the value:
 * <pre>
 *   0  int8   status          OK 0, NOT_FOUND 1, CAS_FAILED 2, KEY_TOO_LONG 3, VALUE_TOO_LONG 4, MALFORMED 5
 *   1  3 bytes reserved, 0
 *   4  int32  valueLength     -1 when there is no value
 *   8  value bytes            GET when OK; CAS_FAILED: the current value (-1 if absent)
 * </pre>
 */
public final class KeyValueCommands
{
    /** Store value under key, replacing any value. */
    public static final byte PUT = 1;
    /** Read the value of key. */
    public static final byte GET = 2;
    /** Remove key. */
    public static final byte DELETE = 3;
    /** Store value under key if the current value is the expected one. */
    public static final byte CAS = 4;

    /** Applied. */
    public static final byte OK = 0;
    /** GET or DELETE of a key that is not stored. */
    public static final byte NOT_FOUND = 1;
    /** CAS whose expected value is not the current one; the response carries the current value. */
    public static final byte CAS_FAILED = 2;
    /** Key longer than the store accepts; nothing changed. */
    public static final byte KEY_TOO_LONG = 3;
    /** Value longer than the store accepts; nothing changed. */
    public static final byte VALUE_TOO_LONG = 4;
    /** Command bytes that do not follow the layout; nothing changed. */
    public static final byte MALFORMED = 5;

    /** Length of a value that is absent. */
    public static final int NO_VALUE = -1;

    /** Bytes of a command before its byte strings. */
    public static final int COMMAND_HEADER_LENGTH = 16;
    /** Bytes of a response before its value. */
    public static final int RESPONSE_HEADER_LENGTH = 8;

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final int OP_OFFSET = 0;
    private static final int KEY_LENGTH_OFFSET = 4;
    private static final int VALUE_LENGTH_OFFSET = 8;
    private static final int EXPECTED_LENGTH_OFFSET = 12;
    private static final int STATUS_OFFSET = 0;
    private static final int RESPONSE_VALUE_LENGTH_OFFSET = 4;

    private KeyValueCommands()
    {
    }

    /**
     * @param status a response status.
     * @return its name, for messages.
     */
    public static String statusName(final byte status)
    {
        switch (status)
        {
            case OK: return "OK";
            case NOT_FOUND: return "NOT_FOUND";
            case CAS_FAILED: return "CAS_FAILED";
            case KEY_TOO_LONG: return "KEY_TOO_LONG";
            case VALUE_TOO_LONG: return "VALUE_TOO_LONG";
            case MALFORMED: return "MALFORMED";
            default: return "UNKNOWN(" + status + ")";
        }
    }

    /**
     * Writes one command. Call {@link #wrap}, then one of the op methods; {@link #length()} is then the command's
     * length.
     */
    public static final class CommandEncoder
    {
        private MutableDirectBuffer buffer;
        private int offset;
        private int length;

        /**
         * @param buffer to write into.
         * @param offset of the command.
         * @return this.
         */
        public CommandEncoder wrap(final MutableDirectBuffer buffer, final int offset)
        {
            this.buffer = buffer;
            this.offset = offset;
            this.length = 0;
            return this;
        }

        /**
         * @param key         bytes of the key.
         * @param keyOffset   of the key.
         * @param keyLength   of the key.
         * @param value       bytes of the value.
         * @param valueOffset of the value.
         * @param valueLength of the value.
         * @return this.
         */
        public CommandEncoder put(
            final DirectBuffer key,
            final int keyOffset,
            final int keyLength,
            final DirectBuffer value,
            final int valueOffset,
            final int valueLength)
        {
            header(PUT, keyLength, valueLength, 0);
            buffer.putBytes(offset + COMMAND_HEADER_LENGTH, key, keyOffset, keyLength);
            buffer.putBytes(offset + COMMAND_HEADER_LENGTH + keyLength, value, valueOffset, valueLength);
            length = COMMAND_HEADER_LENGTH + keyLength + valueLength;
            return this;
        }

        /**
         * @param key       bytes of the key.
         * @param keyOffset of the key.
         * @param keyLength of the key.
         * @return this.
         */
        public CommandEncoder get(final DirectBuffer key, final int keyOffset, final int keyLength)
        {
            return keyOnly(GET, key, keyOffset, keyLength);
        }

        /**
         * @param key       bytes of the key.
         * @param keyOffset of the key.
         * @param keyLength of the key.
         * @return this.
         */
        public CommandEncoder delete(final DirectBuffer key, final int keyOffset, final int keyLength)
        {
            return keyOnly(DELETE, key, keyOffset, keyLength);
        }

        /**
         * @param key            bytes of the key.
         * @param keyOffset      of the key.
         * @param keyLength      of the key.
         * @param expected       bytes of the expected value; ignored when expectedLength is {@link #NO_VALUE}.
         * @param expectedOffset of the expected value.
         * @param expectedLength of the expected value, or {@link #NO_VALUE}: the key must be absent.
         * @param value          bytes of the new value.
         * @param valueOffset    of the new value.
         * @param valueLength    of the new value.
         * @return this.
         */
        public CommandEncoder compareAndSet(
            final DirectBuffer key,
            final int keyOffset,
            final int keyLength,
            final DirectBuffer expected,
            final int expectedOffset,
            final int expectedLength,
            final DirectBuffer value,
            final int valueOffset,
            final int valueLength)
        {
            header(CAS, keyLength, valueLength, expectedLength);
            int position = offset + COMMAND_HEADER_LENGTH;
            buffer.putBytes(position, key, keyOffset, keyLength);
            position += keyLength;
            if (expectedLength > 0)
            {
                buffer.putBytes(position, expected, expectedOffset, expectedLength);
                position += expectedLength;
            }
            buffer.putBytes(position, value, valueOffset, valueLength);
            length = position + valueLength - offset;
            return this;
        }

        /** @return bytes of the command written. */
        public int length()
        {
            return length;
        }

        private CommandEncoder keyOnly(final byte op, final DirectBuffer key, final int keyOffset, final int keyLength)
        {
            header(op, keyLength, 0, 0);
            buffer.putBytes(offset + COMMAND_HEADER_LENGTH, key, keyOffset, keyLength);
            length = COMMAND_HEADER_LENGTH + keyLength;
            return this;
        }

        private void header(final byte op, final int keyLength, final int valueLength, final int expectedLength)
        {
            buffer.putByte(offset + OP_OFFSET, op);
            buffer.putByte(offset + 1, (byte)0);
            buffer.putShort(offset + 2, (short)0, ORDER);
            buffer.putInt(offset + KEY_LENGTH_OFFSET, keyLength, ORDER);
            buffer.putInt(offset + VALUE_LENGTH_OFFSET, valueLength, ORDER);
            buffer.putInt(offset + EXPECTED_LENGTH_OFFSET, expectedLength, ORDER);
        }
    }

    /**
     * Reads one command. {@link #wrap} checks the lengths against the command's length; the offsets are then within
     * it.
     */
    public static final class CommandDecoder
    {
        private DirectBuffer buffer;
        private int offset;

        /**
         * @param buffer holding the command.
         * @param offset of the command.
         * @param length of the command.
         * @return true if the command follows the layout: known op, lengths that add up to length.
         */
        public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.offset = offset;
            if (length < COMMAND_HEADER_LENGTH)
            {
                return false;
            }
            final byte op = op();
            final long keyLength = keyLength();
            final long valueLength = valueLength();
            final long expectedLength = expectedLength();
            if (keyLength < 0 || valueLength < 0 || expectedLength < NO_VALUE)
            {
                return false;
            }
            switch (op)
            {
                case GET:
                case DELETE:
                    return valueLength == 0 && expectedLength == 0 && COMMAND_HEADER_LENGTH + keyLength == length;
                case PUT:
                    return expectedLength == 0 && COMMAND_HEADER_LENGTH + keyLength + valueLength == length;
                case CAS:
                    return COMMAND_HEADER_LENGTH + keyLength + Math.max(0, expectedLength) + valueLength == length;
                default:
                    return false;
            }
        }

        /** @return PUT, GET, DELETE or CAS. */
        public byte op()
        {
            return buffer.getByte(offset + OP_OFFSET);
        }

        /** @return bytes of the key. */
        public int keyLength()
        {
            return buffer.getInt(offset + KEY_LENGTH_OFFSET, ORDER);
        }

        /** @return offset of the key in the buffer. */
        public int keyOffset()
        {
            return offset + COMMAND_HEADER_LENGTH;
        }

        /** @return bytes of the expected value, {@link #NO_VALUE} if the key must be absent, 0 unless CAS. */
        public int expectedLength()
        {
            return buffer.getInt(offset + EXPECTED_LENGTH_OFFSET, ORDER);
        }

        /** @return offset of the expected value in the buffer. */
        public int expectedOffset()
        {
            return keyOffset() + keyLength();
        }

        /** @return bytes of the new value. */
        public int valueLength()
        {
            return buffer.getInt(offset + VALUE_LENGTH_OFFSET, ORDER);
        }

        /** @return offset of the new value in the buffer. */
        public int valueOffset()
        {
            return expectedOffset() + Math.max(0, expectedLength());
        }

        /** @return the buffer wrapped. */
        public DirectBuffer buffer()
        {
            return buffer;
        }
    }

    /**
     * Writes one response.
     */
    public static final class ResponseEncoder
    {
        private ResponseEncoder()
        {
        }

        /**
         * Write a response without a value.
         *
         * @param buffer to write into.
         * @param offset of the response.
         * @param status of the command.
         * @return bytes written.
         */
        public static int encode(final MutableDirectBuffer buffer, final int offset, final byte status)
        {
            header(buffer, offset, status, NO_VALUE);
            return RESPONSE_HEADER_LENGTH;
        }

        /**
         * Write a response with a value.
         *
         * @param buffer      to write into.
         * @param offset      of the response.
         * @param status      of the command.
         * @param value       bytes of the value.
         * @param valueOffset of the value.
         * @param valueLength of the value.
         * @return bytes written.
         */
        public static int encode(
            final MutableDirectBuffer buffer,
            final int offset,
            final byte status,
            final DirectBuffer value,
            final int valueOffset,
            final int valueLength)
        {
            header(buffer, offset, status, valueLength);
            buffer.putBytes(offset + RESPONSE_HEADER_LENGTH, value, valueOffset, valueLength);
            return RESPONSE_HEADER_LENGTH + valueLength;
        }

        private static void header(
            final MutableDirectBuffer buffer, final int offset, final byte status, final int length)
        {
            buffer.putByte(offset + STATUS_OFFSET, status);
            buffer.putByte(offset + 1, (byte)0);
            buffer.putShort(offset + 2, (short)0, ORDER);
            buffer.putInt(offset + RESPONSE_VALUE_LENGTH_OFFSET, length, ORDER);
        }
    }

    /**
     * Reads one response.
     */
    public static final class ResponseDecoder
    {
        private DirectBuffer buffer;
        private int offset;

        /**
         * @param buffer holding the response.
         * @param offset of the response.
         * @return this.
         */
        public ResponseDecoder wrap(final DirectBuffer buffer, final int offset)
        {
            this.buffer = buffer;
            this.offset = offset;
            return this;
        }

        /** @return OK, NOT_FOUND, CAS_FAILED, KEY_TOO_LONG, VALUE_TOO_LONG or MALFORMED. */
        public byte status()
        {
            return buffer.getByte(offset + STATUS_OFFSET);
        }

        /** @return bytes of the value, {@link #NO_VALUE} if none. */
        public int valueLength()
        {
            return buffer.getInt(offset + RESPONSE_VALUE_LENGTH_OFFSET, ORDER);
        }

        /** @return offset of the value in the buffer. */
        public int valueOffset()
        {
            return offset + RESPONSE_HEADER_LENGTH;
        }

        /** @return the buffer wrapped. */
        public DirectBuffer buffer()
        {
            return buffer;
        }

        /** @return the value as UTF-8 text, null if none: allocates, for tests and demos. */
        public String valueAsString()
        {
            final int length = valueLength();
            return length < 0 ? null : buffer.getStringWithoutLengthUtf8(valueOffset(), length);
        }
    }
}
