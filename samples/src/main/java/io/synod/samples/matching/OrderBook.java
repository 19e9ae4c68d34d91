package io.synod.samples.matching;

/**
 * The limit order book of one instrument: matches an incoming order against the other side by price-time priority,
 * best price first and oldest first within a price, at the resting order's price; rests what is left.
 */
final class OrderBook
{
    private final int instrumentId;
    private final RestingOrders resting;
    private final BookSide bids = new BookSide(OrderCommands.BUY);
    private final BookSide asks = new BookSide(OrderCommands.SELL);
    private long tradeCount;
    private long tradedQuantity;

    OrderBook(final int instrumentId, final RestingOrders resting)
    {
        this.instrumentId = instrumentId;
        this.resting = resting;
    }

    /**
     * Match a new order and rest its remainder, writing fills and quantities into the report.
     *
     * @param maxFills fills allowed in the report; a remainder that still crosses after that many is cancelled, so
     *                 the book never crosses.
     */
    void submit(
        final long orderId,
        final long clientOrderId,
        final byte side,
        final long price,
        final long quantity,
        final int maxFills,
        final ExecutionReport.Encoder report)
    {
        final BookSide opposite = side == OrderCommands.BUY ? asks : bids;
        long remaining = quantity;
        PriceLevel level;
        while (remaining > 0 && (level = opposite.best()) != null && opposite.crosses(level.price, price))
        {
            if (report.fillCount() == maxFills)
            {
                report.cancelledQuantity(remaining);
                return;
            }
            final Order maker = level.head;
            final long traded = Math.min(remaining, maker.quantity);
            report.addFill(maker.orderId, level.price, traded);
            tradeCount++;
            tradedQuantity += traded;
            remaining -= traded;
            maker.quantity -= traded;
            level.quantity -= traded;
            if (maker.quantity == 0)
            {
                level.remove(maker);
                resting.release(maker);
                if (level.isEmpty())
                {
                    opposite.remove(level);
                    resting.releaseLevel(level);
                }
            }
        }
        if (remaining > 0)
        {
            rest(orderId, clientOrderId, side, price, remaining);
            report.restingQuantity(remaining);
        }
    }

    /**
     * Take a resting order of this book off it.
     *
     * @return the quantity it had left.
     */
    long cancel(final Order order)
    {
        final long quantity = order.quantity;
        final PriceLevel level = order.level;
        final BookSide own = order.side == OrderCommands.BUY ? bids : asks;
        level.remove(order);
        resting.release(order);
        if (level.isEmpty())
        {
            own.remove(level);
            resting.releaseLevel(level);
        }
        return quantity;
    }

    BookSide side(final byte side)
    {
        return side == OrderCommands.BUY ? bids : asks;
    }

    long tradeCount()
    {
        return tradeCount;
    }

    long tradedQuantity()
    {
        return tradedQuantity;
    }

    private void rest(
        final long orderId, final long clientOrderId, final byte side, final long price, final long quantity)
    {
        final Order order = resting.take();
        order.orderId = orderId;
        order.clientOrderId = clientOrderId;
        order.instrumentId = instrumentId;
        order.side = side;
        order.price = price;
        order.quantity = quantity;
        final BookSide own = side == OrderCommands.BUY ? bids : asks;
        PriceLevel level = own.find(price);
        if (level == null)
        {
            level = resting.takeLevel(price);
            own.insert(level);
        }
        level.append(order);
        resting.add(order);
    }
}
