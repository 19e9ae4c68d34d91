package io.synod.samples.matching;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.synod.samples.matching.OrderCommands.ORDER;

/**
 * The response to a matching-engine command: a simple fixed layout, little-endian, header then fills.
 * <pre>
 *   0  int8   status             ACCEPTED 0, CANCELLED 1, REJECTED 2, UNKNOWN_ORDER 3
 *   1  int8   rejectReason       REJECTED: see the REASON_ constants; 0 otherwise
 *   2  int16  reserved, 0
 *   4  int32  fillCount
 *   8  int64  transactTime       the command's timestamp: the leader's clock, the same on every replica
 *  16  int64  orderId            the engine's id of the order (the log slot of its NEW_ORDER), -1 if rejected
 *  24  int64  clientOrderId      the order's client reference
 *  32  int64  restingQuantity    NEW_ORDER: left on the book after matching
 *  40  int64  cancelledQuantity  NEW_ORDER: neither filled nor resting (fill limit reached); CANCEL: removed
 *  48  fills, fillCount times, {@link #FILL_LENGTH} bytes each, in the order they happened:
 *        0 int64 makerOrderId, 8 int64 price (the maker's), 16 int64 quantity
 * </pre>
 * Makers learn of their fills by other means in a real venue (market data, drop copies); here only the taker's
 * response reports them.
 */
public final class ExecutionReport
{
    /** A new order was taken: see fills, restingQuantity and cancelledQuantity. */
    public static final byte ACCEPTED = 0;
    /** A resting order was removed. */
    public static final byte CANCELLED = 1;
    /** The command was refused and changed nothing: see rejectReason. */
    public static final byte REJECTED = 2;
    /** A cancel named no resting order of that instrument (filled, cancelled, or never existed). */
    public static final byte UNKNOWN_ORDER = 3;

    /** No reason: not rejected. */
    public static final byte REASON_NONE = 0;
    /** Bytes do not follow {@link OrderCommands}. */
    public static final byte REASON_MALFORMED = 1;
    /** No such instrument. */
    public static final byte REASON_UNKNOWN_INSTRUMENT = 2;
    /** Side is neither BUY nor SELL. */
    public static final byte REASON_BAD_SIDE = 3;
    /** Price is not positive. */
    public static final byte REASON_BAD_PRICE = 4;
    /** Quantity is not positive. */
    public static final byte REASON_BAD_QUANTITY = 5;

    /** Bytes before the fills. */
    public static final int HEADER_LENGTH = 48;
    /** Bytes of one fill. */
    public static final int FILL_LENGTH = 24;

    private static final int STATUS_OFFSET = 0;
    private static final int REASON_OFFSET = 1;
    private static final int FILL_COUNT_OFFSET = 4;
    private static final int TRANSACT_TIME_OFFSET = 8;
    private static final int ORDER_ID_OFFSET = 16;
    private static final int CLIENT_ORDER_ID_OFFSET = 24;
    private static final int RESTING_OFFSET = 32;
    private static final int CANCELLED_OFFSET = 40;
    private static final int MAKER_ORDER_ID_IN_FILL = 0;
    private static final int PRICE_IN_FILL = 8;
    private static final int QUANTITY_IN_FILL = 16;

    private ExecutionReport()
    {
    }

    /**
     * @param maxFills most fills in one report.
     * @return bytes of the largest report: what a node's maxPayloadLength must allow.
     */
    public static int maxLength(final int maxFills)
    {
        return HEADER_LENGTH + maxFills * FILL_LENGTH;
    }

    /**
     * Writes one report: {@link #wrap} writes a header of zeros, the setters fill it, {@link #addFill} appends.
     */
    public static final class Encoder
    {
        private MutableDirectBuffer buffer;
        private int offset;
        private int fillCount;

        /**
         * @param buffer       to write into.
         * @param offset       of the report.
         * @param status       of the command.
         * @param transactTime the command's timestamp.
         * @return this.
         */
        public Encoder wrap(
            final MutableDirectBuffer buffer, final int offset, final byte status, final long transactTime)
        {
            this.buffer = buffer;
            this.offset = offset;
            this.fillCount = 0;
            buffer.setMemory(offset, HEADER_LENGTH, (byte)0);
            buffer.putByte(offset + STATUS_OFFSET, status);
            buffer.putLong(offset + TRANSACT_TIME_OFFSET, transactTime, ORDER);
            return this;
        }

        /**
         * @param reason one of the REASON_ constants.
         * @return this.
         */
        public Encoder rejectReason(final byte reason)
        {
            buffer.putByte(offset + REASON_OFFSET, reason);
            return this;
        }

        /**
         * @param orderId the engine's id of the order.
         * @return this.
         */
        public Encoder orderId(final long orderId)
        {
            buffer.putLong(offset + ORDER_ID_OFFSET, orderId, ORDER);
            return this;
        }

        /**
         * @param clientOrderId the order's client reference.
         * @return this.
         */
        public Encoder clientOrderId(final long clientOrderId)
        {
            buffer.putLong(offset + CLIENT_ORDER_ID_OFFSET, clientOrderId, ORDER);
            return this;
        }

        /**
         * @param quantity left on the book.
         * @return this.
         */
        public Encoder restingQuantity(final long quantity)
        {
            buffer.putLong(offset + RESTING_OFFSET, quantity, ORDER);
            return this;
        }

        /**
         * @param quantity neither filled nor resting, or removed by a cancel.
         * @return this.
         */
        public Encoder cancelledQuantity(final long quantity)
        {
            buffer.putLong(offset + CANCELLED_OFFSET, quantity, ORDER);
            return this;
        }

        /**
         * Append a fill.
         *
         * @param makerOrderId the resting order matched.
         * @param price        the maker's price.
         * @param quantity     traded.
         * @return this.
         */
        public Encoder addFill(final long makerOrderId, final long price, final long quantity)
        {
            final int at = offset + HEADER_LENGTH + fillCount * FILL_LENGTH;
            buffer.putLong(at + MAKER_ORDER_ID_IN_FILL, makerOrderId, ORDER);
            buffer.putLong(at + PRICE_IN_FILL, price, ORDER);
            buffer.putLong(at + QUANTITY_IN_FILL, quantity, ORDER);
            fillCount++;
            buffer.putInt(offset + FILL_COUNT_OFFSET, fillCount, ORDER);
            return this;
        }

        /** @return fills appended. */
        public int fillCount()
        {
            return fillCount;
        }

        /** @return bytes of the report written. */
        public int length()
        {
            return HEADER_LENGTH + fillCount * FILL_LENGTH;
        }
    }

    /**
     * Reads one report.
     */
    public static final class Decoder
    {
        private DirectBuffer buffer;
        private int offset;

        /**
         * @param buffer holding the report.
         * @param offset of the report.
         * @return this.
         */
        public Decoder wrap(final DirectBuffer buffer, final int offset)
        {
            this.buffer = buffer;
            this.offset = offset;
            return this;
        }

        /** @return ACCEPTED, CANCELLED, REJECTED or UNKNOWN_ORDER. */
        public byte status()
        {
            return buffer.getByte(offset + STATUS_OFFSET);
        }

        /** @return one of the REASON_ constants. */
        public byte rejectReason()
        {
            return buffer.getByte(offset + REASON_OFFSET);
        }

        /** @return fills in the report. */
        public int fillCount()
        {
            return buffer.getInt(offset + FILL_COUNT_OFFSET, ORDER);
        }

        /** @return the command's timestamp. */
        public long transactTime()
        {
            return buffer.getLong(offset + TRANSACT_TIME_OFFSET, ORDER);
        }

        /** @return the engine's id of the order. */
        public long orderId()
        {
            return buffer.getLong(offset + ORDER_ID_OFFSET, ORDER);
        }

        /** @return the order's client reference. */
        public long clientOrderId()
        {
            return buffer.getLong(offset + CLIENT_ORDER_ID_OFFSET, ORDER);
        }

        /** @return quantity left on the book. */
        public long restingQuantity()
        {
            return buffer.getLong(offset + RESTING_OFFSET, ORDER);
        }

        /** @return quantity neither filled nor resting, or removed by a cancel. */
        public long cancelledQuantity()
        {
            return buffer.getLong(offset + CANCELLED_OFFSET, ORDER);
        }

        /**
         * @param index of the fill, from 0.
         * @return its maker's order id.
         */
        public long fillMakerOrderId(final int index)
        {
            return buffer.getLong(fillAt(index) + MAKER_ORDER_ID_IN_FILL, ORDER);
        }

        /**
         * @param index of the fill, from 0.
         * @return its price.
         */
        public long fillPrice(final int index)
        {
            return buffer.getLong(fillAt(index) + PRICE_IN_FILL, ORDER);
        }

        /**
         * @param index of the fill, from 0.
         * @return its quantity.
         */
        public long fillQuantity(final int index)
        {
            return buffer.getLong(fillAt(index) + QUANTITY_IN_FILL, ORDER);
        }

        /** @return total quantity of the fills. */
        public long filledQuantity()
        {
            long total = 0;
            for (int i = 0, count = fillCount(); i < count; i++)
            {
                total += fillQuantity(i);
            }
            return total;
        }

        private int fillAt(final int index)
        {
            return offset + HEADER_LENGTH + index * FILL_LENGTH;
        }
    }
}
