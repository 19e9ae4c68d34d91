package io.synod.samples.matching;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The bytes of matching-engine commands: simple fixed layouts, little-endian, written and read by the flyweights
 * here, which wrap a buffer and never copy or allocate.
 * <p>
 * New limit order, {@link #NEW_ORDER_LENGTH} bytes:
 * <pre>
 *   0  int8   type            NEW_ORDER 1
 *   1  int8   side            BUY 0, SELL 1
 *   2  int16  reserved, 0
 *   4  int32  instrumentId    0 to instruments - 1
 *   8  int64  clientOrderId   the client's reference, echoed in the execution report
 *  16  int64  price           limit price in ticks, &gt; 0
 *  24  int64  quantity        &gt; 0
 * </pre>
 * Cancel, {@link #CANCEL_LENGTH} bytes:
 * <pre>
 *   0  int8   type            CANCEL 2
 *   1  3 bytes reserved, 0
 *   4  int32  instrumentId    of the order
 *   8  int64  orderId         the engine's id of the order, from its execution report
 * </pre>
 */
public final class OrderCommands
{
    /** A limit order. */
    public static final byte NEW_ORDER = 1;
    /** Cancel a resting order. */
    public static final byte CANCEL = 2;
    /** Side of an order: buy. */
    public static final byte BUY = 0;
    /** Side of an order: sell. */
    public static final byte SELL = 1;
    /** Bytes of a new order. */
    public static final int NEW_ORDER_LENGTH = 32;
    /** Bytes of a cancel. */
    public static final int CANCEL_LENGTH = 16;

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final int TYPE_OFFSET = 0;
    private static final int SIDE_OFFSET = 1;
    private static final int INSTRUMENT_OFFSET = 4;
    private static final int CLIENT_ORDER_ID_OFFSET = 8;
    private static final int ORDER_ID_OFFSET = 8;
    private static final int PRICE_OFFSET = 16;
    private static final int QUANTITY_OFFSET = 24;

    private OrderCommands()
    {
    }

    /**
     * Writes one command. {@link #length()} is then its length.
     */
    public static final class Encoder
    {
        private int length;

        /**
         * @param buffer        to write into.
         * @param offset        of the command.
         * @param instrumentId  of the book.
         * @param side          {@link #BUY} or {@link #SELL}.
         * @param clientOrderId the client's reference.
         * @param price         limit in ticks.
         * @param quantity      to buy or sell.
         * @return this.
         */
        public Encoder newOrder(
            final MutableDirectBuffer buffer,
            final int offset,
            final int instrumentId,
            final byte side,
            final long clientOrderId,
            final long price,
            final long quantity)
        {
            buffer.putByte(offset + TYPE_OFFSET, NEW_ORDER);
            buffer.putByte(offset + SIDE_OFFSET, side);
            buffer.putShort(offset + 2, (short)0, ORDER);
            buffer.putInt(offset + INSTRUMENT_OFFSET, instrumentId, ORDER);
            buffer.putLong(offset + CLIENT_ORDER_ID_OFFSET, clientOrderId, ORDER);
            buffer.putLong(offset + PRICE_OFFSET, price, ORDER);
            buffer.putLong(offset + QUANTITY_OFFSET, quantity, ORDER);
            length = NEW_ORDER_LENGTH;
            return this;
        }

        /**
         * @param buffer       to write into.
         * @param offset       of the command.
         * @param instrumentId of the order.
         * @param orderId      the engine's id of the order.
         * @return this.
         */
        public Encoder cancel(
            final MutableDirectBuffer buffer, final int offset, final int instrumentId, final long orderId)
        {
            buffer.putByte(offset + TYPE_OFFSET, CANCEL);
            buffer.putByte(offset + 1, (byte)0);
            buffer.putShort(offset + 2, (short)0, ORDER);
            buffer.putInt(offset + INSTRUMENT_OFFSET, instrumentId, ORDER);
            buffer.putLong(offset + ORDER_ID_OFFSET, orderId, ORDER);
            length = CANCEL_LENGTH;
            return this;
        }

        /** @return bytes of the command written last. */
        public int length()
        {
            return length;
        }
    }

    /**
     * Reads one command.
     */
    public static final class Decoder
    {
        private DirectBuffer buffer;
        private int offset;

        /**
         * @param buffer holding the command.
         * @param offset of the command.
         * @param length of the command.
         * @return true if it is a NEW_ORDER or CANCEL of the right length.
         */
        public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.offset = offset;
            if (length < 1)
            {
                return false;
            }
            final byte type = type();
            return (type == NEW_ORDER && length == NEW_ORDER_LENGTH) || (type == CANCEL && length == CANCEL_LENGTH);
        }

        /** @return {@link #NEW_ORDER} or {@link #CANCEL}. */
        public byte type()
        {
            return buffer.getByte(offset + TYPE_OFFSET);
        }

        /** @return the book. */
        public int instrumentId()
        {
            return buffer.getInt(offset + INSTRUMENT_OFFSET, ORDER);
        }

        /** @return NEW_ORDER: {@link #BUY} or {@link #SELL}. */
        public byte side()
        {
            return buffer.getByte(offset + SIDE_OFFSET);
        }

        /** @return NEW_ORDER: the client's reference. */
        public long clientOrderId()
        {
            return buffer.getLong(offset + CLIENT_ORDER_ID_OFFSET, ORDER);
        }

        /** @return NEW_ORDER: limit in ticks. */
        public long price()
        {
            return buffer.getLong(offset + PRICE_OFFSET, ORDER);
        }

        /** @return NEW_ORDER: quantity. */
        public long quantity()
        {
            return buffer.getLong(offset + QUANTITY_OFFSET, ORDER);
        }

        /** @return CANCEL: the engine's id of the order. */
        public long orderId()
        {
            return buffer.getLong(offset + ORDER_ID_OFFSET, ORDER);
        }
    }
}
