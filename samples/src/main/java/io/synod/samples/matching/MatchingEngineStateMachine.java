package io.synod.samples.matching;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.DirectBuffer;

/**
 * An order-matching engine as a Synod state machine: one limit order book per instrument, new orders and cancels in
 * ({@link OrderCommands}), an {@link ExecutionReport} out for each.
 * <p>
 * Matching is by price-time priority: an incoming order trades with the best opposite price first, and within a price
 * with the oldest order first, at the resting order's price, until it is filled or no opposite price crosses its
 * limit; the remainder rests. An order's id is the log slot of its NEW_ORDER: unique, and the same on every replica.
 * The report's transactTime is the command's timestamp (the leader's clock), never a local clock.
 * <p>
 * Allocation: orders and price levels are pooled and the id index is an Agrona {@code Long2ObjectHashMap}, so a new
 * order or cancel allocates nothing unless more orders or levels rest at once than ever before.
 */
public final class MatchingEngineStateMachine implements StateMachine
{
    /**
     * Receives resting orders in priority order, for inspection and tests.
     */
    @FunctionalInterface
    public interface RestingOrderVisitor
    {
        /**
         * @param orderId       the engine's id.
         * @param clientOrderId the client's reference.
         * @param price         in ticks.
         * @param quantity      left.
         */
        void onOrder(long orderId, long clientOrderId, long price, long quantity);
    }

    /** Default for the most fills reported for one order. */
    public static final int DEFAULT_MAX_FILLS = 256;

    private final OrderBook[] books;
    private final RestingOrders resting = new RestingOrders();
    private final int maxFills;
    private final OrderCommands.Decoder command = new OrderCommands.Decoder();
    private final ExecutionReport.Encoder report = new ExecutionReport.Encoder();

    /**
     * @param instruments books, for instrument ids 0 to instruments - 1.
     * @param maxFills    most fills one order may take; the response of such an order is
     *                    {@link ExecutionReport#maxLength(int)} bytes, which a node's maxPayloadLength must allow.
     */
    public MatchingEngineStateMachine(final int instruments, final int maxFills)
    {
        if (instruments < 1)
        {
            throw new IllegalArgumentException("instruments must be >= 1: " + instruments);
        }
        if (maxFills < 1)
        {
            throw new IllegalArgumentException("maxFills must be >= 1: " + maxFills);
        }
        this.maxFills = maxFills;
        this.books = new OrderBook[instruments];
        for (int i = 0; i < instruments; i++)
        {
            books[i] = new OrderBook(i, resting);
        }
    }

    /**
     * Apply one NEW_ORDER or CANCEL and write its execution report.
     */
    public void apply(
        final long slot,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseWriter response)
    {
        if (!command.wrap(buffer, offset, length))
        {
            reject(timestamp, ExecutionReport.REASON_MALFORMED, -1, response);
            return;
        }
        final int instrumentId = command.instrumentId();
        final long clientOrderId = command.type() == OrderCommands.NEW_ORDER ? command.clientOrderId() : -1;
        if (instrumentId < 0 || instrumentId >= books.length)
        {
            reject(timestamp, ExecutionReport.REASON_UNKNOWN_INSTRUMENT, clientOrderId, response);
            return;
        }
        if (command.type() == OrderCommands.NEW_ORDER)
        {
            newOrder(slot, timestamp, books[instrumentId], response);
        }
        else
        {
            cancel(timestamp, instrumentId, response);
        }
    }

    /** @return orders resting on all books. */
    public int restingOrderCount()
    {
        return resting.size();
    }

    /**
     * @param instrumentId of the book.
     * @param side         {@link OrderCommands#BUY} or {@link OrderCommands#SELL}.
     * @return the best price on that side, or 0 if it is empty.
     */
    public long bestPrice(final int instrumentId, final byte side)
    {
        final PriceLevel best = books[instrumentId].side(side).best();
        return best == null ? 0 : best.price;
    }

    /**
     * Visit the resting orders of one side of a book in priority order: best price first, oldest first within it.
     *
     * @param instrumentId of the book.
     * @param side         {@link OrderCommands#BUY} or {@link OrderCommands#SELL}.
     * @param visitor      told of each order.
     */
    public void forEachRestingOrder(final int instrumentId, final byte side, final RestingOrderVisitor visitor)
    {
        final BookSide bookSide = books[instrumentId].side(side);
        for (int rank = 0, levels = bookSide.levelCount(); rank < levels; rank++)
        {
            for (Order order = bookSide.level(rank).head; order != null; order = order.next)
            {
                visitor.onOrder(order.orderId, order.clientOrderId, order.price, order.quantity);
            }
        }
    }

    /**
     * A digest of every book in priority order and of the trades so far: equal on two replicas that applied the same
     * commands. Walks every order; for tests and demos, not the hot path.
     *
     * @return the digest.
     */
    public long digest()
    {
        long digest = 17;
        for (final OrderBook book : books)
        {
            digest = mix(digest, book.tradeCount());
            digest = mix(digest, book.tradedQuantity());
            for (byte side = OrderCommands.BUY; side <= OrderCommands.SELL; side++)
            {
                final BookSide bookSide = book.side(side);
                digest = mix(digest, bookSide.levelCount());
                for (int rank = 0, levels = bookSide.levelCount(); rank < levels; rank++)
                {
                    final PriceLevel level = bookSide.level(rank);
                    digest = mix(digest, level.price);
                    digest = mix(digest, level.quantity);
                    for (Order order = level.head; order != null; order = order.next)
                    {
                        digest = mix(mix(digest, order.orderId), order.quantity);
                    }
                }
            }
        }
        return digest;
    }

    /** @return trades on all books so far. */
    public long tradeCount()
    {
        long trades = 0;
        for (final OrderBook book : books)
        {
            trades += book.tradeCount();
        }
        return trades;
    }

    private void newOrder(final long slot, final long timestamp, final OrderBook book, final ResponseWriter response)
    {
        final byte side = command.side();
        final long clientOrderId = command.clientOrderId();
        final long price = command.price();
        final long quantity = command.quantity();
        if (side != OrderCommands.BUY && side != OrderCommands.SELL)
        {
            reject(timestamp, ExecutionReport.REASON_BAD_SIDE, clientOrderId, response);
            return;
        }
        if (price <= 0)
        {
            reject(timestamp, ExecutionReport.REASON_BAD_PRICE, clientOrderId, response);
            return;
        }
        if (quantity <= 0)
        {
            reject(timestamp, ExecutionReport.REASON_BAD_QUANTITY, clientOrderId, response);
            return;
        }
        report.wrap(response.buffer(), 0, ExecutionReport.ACCEPTED, timestamp)
            .orderId(slot)
            .clientOrderId(clientOrderId);
        book.submit(slot, clientOrderId, side, price, quantity, maxFills, report);
        response.length(report.length());
    }

    private void cancel(final long timestamp, final int instrumentId, final ResponseWriter response)
    {
        final long orderId = command.orderId();
        final Order order = resting.get(orderId);
        if (order == null || order.instrumentId != instrumentId)
        {
            report.wrap(response.buffer(), 0, ExecutionReport.UNKNOWN_ORDER, timestamp).orderId(orderId);
            response.length(report.length());
            return;
        }
        final long clientOrderId = order.clientOrderId;
        final long cancelled = books[instrumentId].cancel(order);
        report.wrap(response.buffer(), 0, ExecutionReport.CANCELLED, timestamp)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .cancelledQuantity(cancelled);
        response.length(report.length());
    }

    private void reject(
        final long timestamp, final byte reason, final long clientOrderId, final ResponseWriter response)
    {
        report.wrap(response.buffer(), 0, ExecutionReport.REJECTED, timestamp)
            .rejectReason(reason)
            .orderId(-1)
            .clientOrderId(clientOrderId);
        response.length(report.length());
    }

    private static long mix(final long digest, final long value)
    {
        long hash = (digest ^ value) * 0x9E3779B97F4A7C15L;
        hash ^= hash >>> 32;
        return hash;
    }

    public String toString()
    {
        return "MatchingEngineStateMachine{instruments=" + books.length + ", resting=" + resting.size() +
            ", trades=" + tradeCount() + ", maxFills=" + maxFills + '}';
    }
}
