package io.synod.samples.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * The matching rules written as plainly as possible, to hold the engine to: lists scanned for the best price and the
 * oldest order at it. Slow and obviously right.
 */
final class ReferenceBook
{
    static final class Resting
    {
        final long orderId;
        final long clientOrderId;
        final byte side;
        final long price;
        long quantity;

        Resting(final long orderId, final long clientOrderId, final byte side, final long price, final long quantity)
        {
            this.orderId = orderId;
            this.clientOrderId = clientOrderId;
            this.side = side;
            this.price = price;
            this.quantity = quantity;
        }

        public String toString()
        {
            return "#" + orderId + " " + quantity + "@" + price;
        }
    }

    /** The fills of one order, as "maker price quantity" strings, and its resting remainder. */
    static final class Outcome
    {
        final List<String> fills = new ArrayList<>();
        long resting;
    }

    private final List<Resting> orders = new ArrayList<>();

    Outcome submit(final long orderId, final long clientOrderId, final byte side, final long price, final long quantity)
    {
        final Outcome outcome = new Outcome();
        long remaining = quantity;
        while (remaining > 0)
        {
            final Resting maker = bestOpposite(side);
            if (maker == null || (side == OrderCommands.BUY ? maker.price > price : maker.price < price))
            {
                break;
            }
            final long traded = Math.min(remaining, maker.quantity);
            outcome.fills.add(maker.orderId + " " + maker.price + " " + traded);
            remaining -= traded;
            maker.quantity -= traded;
            if (maker.quantity == 0)
            {
                orders.remove(maker);
            }
        }
        if (remaining > 0)
        {
            orders.add(new Resting(orderId, clientOrderId, side, price, remaining));
        }
        outcome.resting = remaining;
        return outcome;
    }

    /** @return the quantity removed, -1 if the order does not rest. */
    long cancel(final long orderId)
    {
        for (final Resting order : orders)
        {
            if (order.orderId == orderId)
            {
                orders.remove(order);
                return order.quantity;
            }
        }
        return -1;
    }

    List<Resting> resting()
    {
        return orders;
    }

    /** @return one side in priority order, as "id quantity@price" strings. */
    List<String> side(final byte side)
    {
        final List<Resting> ofSide = new ArrayList<>();
        for (final Resting order : orders)
        {
            if (order.side == side)
            {
                ofSide.add(order);
            }
        }
        ofSide.sort((a, b) -> a.price != b.price ?
            (side == OrderCommands.BUY ? Long.compare(b.price, a.price) : Long.compare(a.price, b.price)) :
            Long.compare(a.orderId, b.orderId));
        final List<String> text = new ArrayList<>();
        for (final Resting order : ofSide)
        {
            text.add(order.orderId + " " + order.quantity + "@" + order.price);
        }
        return text;
    }

    private Resting bestOpposite(final byte side)
    {
        Resting best = null;
        for (final Resting order : orders)
        {
            if (order.side == side)
            {
                continue;
            }
            if (best == null || better(order, best))
            {
                best = order;
            }
        }
        return best;
    }

    private static boolean better(final Resting order, final Resting than)
    {
        if (order.price != than.price)
        {
            return order.side == OrderCommands.BUY ? order.price > than.price : order.price < than.price;
        }
        return order.orderId < than.orderId;
    }
}
