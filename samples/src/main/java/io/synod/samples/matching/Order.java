package io.synod.samples.matching;

/**
 * A resting limit order: a node of its price level's time-ordered list, and of the pool's free list when not in use.
 */
final class Order
{
    long orderId;
    long clientOrderId;
    int instrumentId;
    byte side;
    long price;
    long quantity;
    PriceLevel level;
    Order previous;
    Order next;

    void clear()
    {
        level = null;
        previous = null;
        next = null;
    }
}
