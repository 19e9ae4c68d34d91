package io.synod.samples.matching;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * Every resting order of every book by its id, for cancels, and the pools orders and levels come from and go back
 * to. The pools grow only when more orders or levels rest at once than ever before.
 */
final class RestingOrders
{
    private final Long2ObjectHashMap<Order> byId = new Long2ObjectHashMap<>();
    private Order freeOrders;
    private PriceLevel freeLevels;

    Order get(final long orderId)
    {
        return byId.get(orderId);
    }

    int size()
    {
        return byId.size();
    }

    Order take()
    {
        final Order order = freeOrders;
        if (order == null)
        {
            return new Order();
        }
        freeOrders = order.next;
        order.next = null;
        return order;
    }

    void add(final Order order)
    {
        byId.put(order.orderId, order);
    }

    /** Forget an order that left its level, and pool it. */
    void release(final Order order)
    {
        byId.remove(order.orderId);
        order.clear();
        order.next = freeOrders;
        freeOrders = order;
    }

    PriceLevel takeLevel(final long price)
    {
        PriceLevel level = freeLevels;
        if (level == null)
        {
            level = new PriceLevel();
        }
        else
        {
            freeLevels = level.nextFree;
            level.nextFree = null;
        }
        level.price = price;
        level.quantity = 0;
        return level;
    }

    void releaseLevel(final PriceLevel level)
    {
        level.head = null;
        level.tail = null;
        level.nextFree = freeLevels;
        freeLevels = level;
    }
}
