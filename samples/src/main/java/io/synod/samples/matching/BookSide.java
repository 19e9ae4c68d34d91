package io.synod.samples.matching;

import java.util.Arrays;

/**
 * The price levels of one side of a book, kept sorted with the best price last so that taking liquidity, which
 * empties the best level, removes from the end of the array without shifting. A new level is inserted by binary
 * search; books are a few hundred levels deep, where an array beats a tree.
 */
final class BookSide
{
    private final byte side;
    private PriceLevel[] levels = new PriceLevel[64];
    private int count;

    BookSide(final byte side)
    {
        this.side = side;
    }

    /** @return the best level, null if the side is empty. */
    PriceLevel best()
    {
        return count == 0 ? null : levels[count - 1];
    }

    /**
     * @return true if an order of the other side at price trades with this side's level at levelPrice.
     */
    boolean crosses(final long levelPrice, final long price)
    {
        return side == OrderCommands.SELL ? levelPrice <= price : levelPrice >= price;
    }

    /**
     * @return the level at price, or null.
     */
    PriceLevel find(final long price)
    {
        final int index = search(price);
        return index >= 0 ? levels[index] : null;
    }

    void insert(final PriceLevel level)
    {
        final int index = -(search(level.price) + 1);
        if (count == levels.length)
        {
            levels = Arrays.copyOf(levels, count * 2);
        }
        System.arraycopy(levels, index, levels, index + 1, count - index);
        levels[index] = level;
        count++;
    }

    void remove(final PriceLevel level)
    {
        final int index = search(level.price);
        System.arraycopy(levels, index + 1, levels, index, count - index - 1);
        levels[--count] = null;
    }

    int levelCount()
    {
        return count;
    }

    /**
     * @param rank 0 for the best level.
     */
    PriceLevel level(final int rank)
    {
        return levels[count - 1 - rank];
    }

    /**
     * Binary search in the order the array keeps: ascending bids, descending asks.
     *
     * @return the index of price, or -(insertion point) - 1.
     */
    private int search(final long price)
    {
        final long key = sortKey(price);
        int low = 0;
        int high = count - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final long middleKey = sortKey(levels[middle].price);
            if (middleKey < key)
            {
                low = middle + 1;
            }
            else if (middleKey > key)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }
        return -(low + 1);
    }

    private long sortKey(final long price)
    {
        return side == OrderCommands.BUY ? price : -price; // prices are positive, so negation is exact
    }
}
