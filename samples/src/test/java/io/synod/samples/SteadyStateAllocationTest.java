package io.synod.samples;

import io.synod.ResponseWriter;
import io.synod.samples.kv.KeyValueCommands;
import io.synod.samples.kv.KeyValueStateMachine;
import io.synod.samples.matching.ExecutionReport;
import io.synod.samples.matching.MatchingEngineStateMachine;
import io.synod.samples.matching.OrderCommands;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The samples' claim of no allocation in steady state, measured with the JVM's per-thread allocation counter: once
 * the store holds its keys and the books their pools, applying commands allocates nothing.
 */
class SteadyStateAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 20_000;

    private final ResponseWriter response = new ResponseWriter(64 * 1024);

    @Test
    void keyValueCommandsAllocateNothingOnceTheStoreHasHeldAsManyKeys()
    {
        final KeyValueStateMachine store = new KeyValueStateMachine(16, 16);
        final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(1024);
        final KeyValueCommands.CommandEncoder encoder = new KeyValueCommands.CommandEncoder();
        final UnsafeBuffer key = text("key");
        final UnsafeBuffer value = text("value");
        final int put = 0;
        final int putLength = encoder.wrap(commands, put).put(key, 0, 3, value, 0, 5).length();
        final int get = 100;
        final int getLength = encoder.wrap(commands, get).get(key, 0, 3).length();
        final int cas = 200;
        final int casLength = encoder.wrap(commands, cas).compareAndSet(key, 0, 3, value, 0, 5, value, 0, 5).length();
        final int delete = 300;
        final int deleteLength = encoder.wrap(commands, delete).delete(key, 0, 3).length();
        final Runnable round = () ->
        {
            // the PUT stores a new key each round, in the record and flyweight the DELETE freed
            apply(store, commands, put, putLength);
            apply(store, commands, get, getLength);
            apply(store, commands, cas, casLength);
            apply(store, commands, delete, deleteLength);
            apply(store, commands, get, getLength);
        };

        assertNoAllocationPerRound(allocatedBytes(round), "rounds of PUT GET CAS DELETE GET");
    }

    @Test
    void ordersCancelsAndFillsAllocateNothingOnceThePoolsAreWarm()
    {
        final MatchingEngineStateMachine engine = new MatchingEngineStateMachine(1, 16);
        final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(1024);
        final OrderCommands.Encoder encoder = new OrderCommands.Encoder();
        final ExecutionReport.Decoder report = new ExecutionReport.Decoder();
        final int[] offsets = new int[5];
        for (int i = 0; i < 5; i++)
        {
            offsets[i] = i * 64;
        }
        encoder.newOrder(commands, offsets[0], 0, OrderCommands.BUY, 1, 100, 10);
        encoder.newOrder(commands, offsets[1], 0, OrderCommands.BUY, 2, 99, 10);
        encoder.newOrder(commands, offsets[2], 0, OrderCommands.SELL, 3, 99, 15);
        final long[] slot = {0};
        final Runnable round = () ->
        {
            // two bids rest on two levels, a sell sweeps one and part of the other, the rest is cancelled
            apply(engine, ++slot[0], commands, offsets[0], OrderCommands.NEW_ORDER_LENGTH);
            apply(engine, ++slot[0], commands, offsets[1], OrderCommands.NEW_ORDER_LENGTH);
            final long partlyFilled = slot[0];
            apply(engine, ++slot[0], commands, offsets[2], OrderCommands.NEW_ORDER_LENGTH);
            encoder.cancel(commands, offsets[3], 0, partlyFilled);
            apply(engine, ++slot[0], commands, offsets[3], OrderCommands.CANCEL_LENGTH);
        };

        assertNoAllocationPerRound(allocatedBytes(round), "rounds of two bids, a sweep, a cancel");
        assertEquals(0, engine.restingOrderCount());
        assertEquals(ExecutionReport.CANCELLED, report.wrap(response.buffer(), 0).status());
    }

    /**
     * Less than one byte per round: any allocation on the path (at least 16 bytes an object) would show as many
     * times ROUNDS; the JVM now and then allocates a few hundred bytes once (compilation), which is not the path's.
     */
    private static void assertNoAllocationPerRound(final long allocated, final String what)
    {
        assertTrue(allocated < ROUNDS, allocated + " bytes allocated by " + ROUNDS + " " + what);
    }

    private long allocatedBytes(final Runnable round)
    {
        for (int i = 0; i < ROUNDS; i++)
        {
            round.run(); // fill pools and tables, and let the JIT settle
        }
        final long threadId = Thread.currentThread().getId();
        final long empty = THREADS.getThreadAllocatedBytes(threadId);
        final long calibration = THREADS.getThreadAllocatedBytes(threadId) - empty;
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < ROUNDS; i++)
        {
            round.run();
        }
        return THREADS.getThreadAllocatedBytes(threadId) - before - calibration;
    }

    private void apply(final KeyValueStateMachine store, final ExpandableArrayBuffer commands, final int at,
        final int length)
    {
        response.reset();
        store.apply(0, 0, commands, at, length, response);
    }

    private void apply(final MatchingEngineStateMachine engine, final long slot, final ExpandableArrayBuffer commands,
        final int at, final int length)
    {
        response.reset();
        engine.apply(slot, slot, commands, at, length, response);
    }

    private static UnsafeBuffer text(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
