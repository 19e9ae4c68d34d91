package io.synod.samples.matching;

/**
 * The orders resting at one price on one side, oldest first: time priority within the price.
 */
final class PriceLevel
{
    long price;
    long quantity;
    Order head;
    Order tail;
    /** The pool's free list when not in use. */
    PriceLevel nextFree;

    void append(final Order order)
    {
        order.level = this;
        order.previous = tail;
        order.next = null;
        if (tail == null)
        {
            head = order;
        }
        else
        {
            tail.next = order;
        }
        tail = order;
        quantity += order.quantity;
    }

    void remove(final Order order)
    {
        if (order.previous == null)
        {
            head = order.next;
        }
        else
        {
            order.previous.next = order.next;
        }
        if (order.next == null)
        {
            tail = order.previous;
        }
        else
        {
            order.next.previous = order.previous;
        }
        quantity -= order.quantity;
        order.clear();
    }

    boolean isEmpty()
    {
        return head == null;
    }
}
