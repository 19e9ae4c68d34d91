package io.synod.node;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DestinationQueueTest
{
    @Test
    void keepsOrderDropsOldestWhenFullAndKeepsTheRestOnBackPressure()
    {
        final DestinationQueue queue = new DestinationQueue(1024 * 1024);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[65536]);
        final ArrayDeque<Integer> expected = new ArrayDeque<>();
        final Random random = new Random(42);
        int next = 0;
        long droppedSeen = 0;
        for (int i = 0; i < 50_000; i++)
        {
            final int length = 4 + random.nextInt(65493);
            message.putInt(0, next);
            assertTrue(queue.append(message, 0, length));
            expected.addLast(next++);
            while (queue.dropped() > droppedSeen)
            {
                expected.removeFirst();
                droppedSeen++;
            }
            if (random.nextInt(3) == 0)
            {
                final int[] budget = { random.nextInt(4) };
                queue.drain((buffer, offset, len, headOffset) ->
                {
                    if (budget[0]-- <= 0)
                    {
                        return false; // back-pressured: the rest stays
                    }
                    assertEquals(expected.removeFirst(), buffer.getInt(offset));
                    return true;
                });
            }
        }
        queue.drain((buffer, offset, len, headOffset) ->
        {
            assertEquals(expected.removeFirst(), buffer.getInt(offset));
            return true;
        });
        assertTrue(expected.isEmpty());
        assertTrue(queue.isEmpty());
        assertTrue(queue.dropped() > 0, "the queue filled up at least once");
        assertFalse(queue.append(new UnsafeBuffer(new byte[2 * 1024 * 1024]), 0, 2 * 1024 * 1024));
    }
}
