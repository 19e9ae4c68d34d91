package io.synod.samples.matching;

import io.synod.ResponseWriter;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.synod.samples.matching.OrderCommands.BUY;
import static io.synod.samples.matching.OrderCommands.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matching engine on its own: the execution report of each command and the books it leaves. Order ids are the
 * slots the test applies commands at, from 1.
 */
class MatchingEngineStateMachineTest
{
    private static final int INSTRUMENT = 0;

    private MatchingEngineStateMachine engine = new MatchingEngineStateMachine(2, 16);
    private final ResponseWriter response = new ResponseWriter(ExecutionReport.maxLength(1000));
    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
    private final OrderCommands.Encoder encoder = new OrderCommands.Encoder();
    private final ExecutionReport.Decoder report = new ExecutionReport.Decoder();
    private long slot;

    @Test
    void anOrderThatCrossesNothingRests()
    {
        final ExecutionReport.Decoder accepted = order(BUY, 100, 10, 555);
        assertEquals(ExecutionReport.ACCEPTED, accepted.status());
        assertEquals(1, accepted.orderId(), "the order id is its slot");
        assertEquals(555, accepted.clientOrderId());
        assertEquals(0, accepted.fillCount());
        assertEquals(10, accepted.restingQuantity());
        assertEquals(List.of("1 10@100"), BookInspection.side(engine, INSTRUMENT, BUY));
        assertEquals(100, engine.bestPrice(INSTRUMENT, BUY));
    }

    @Test
    void fullFillTradesAtTheMakersPriceAndEmptiesTheBook()
    {
        order(SELL, 100, 10, 1);
        final ExecutionReport.Decoder taker = order(BUY, 105, 10, 2);
        assertEquals(List.of("1 100 10"), BookInspection.fills(taker), "maker id, maker's price, quantity");
        assertEquals(0, taker.restingQuantity());
        assertEquals(0, engine.restingOrderCount());
        assertEquals(0, engine.bestPrice(INSTRUMENT, SELL));
    }

    @Test
    void partialFillSweepsLevelsBestFirstAndRestsTheRemainderAtItsLimit()
    {
        order(SELL, 102, 5, 1);
        order(SELL, 100, 3, 2);
        order(SELL, 101, 4, 3);
        order(SELL, 103, 9, 4);

        final ExecutionReport.Decoder taker = order(BUY, 102, 20, 5);

        assertEquals(List.of("2 100 3", "3 101 4", "1 102 5"), BookInspection.fills(taker));
        assertEquals(8, taker.restingQuantity());
        assertEquals(List.of("5 8@102"), BookInspection.side(engine, INSTRUMENT, BUY));
        assertEquals(List.of("4 9@103"), BookInspection.side(engine, INSTRUMENT, SELL));
    }

    @Test
    void aPartlyFilledMakerKeepsItsPlaceInTime()
    {
        order(BUY, 100, 10, 1);
        order(BUY, 100, 10, 2);

        assertEquals(List.of("1 100 4"), BookInspection.fills(order(SELL, 100, 4, 3)));
        assertEquals(List.of("1 6@100", "2 10@100"), BookInspection.side(engine, INSTRUMENT, BUY));
        assertEquals(List.of("1 100 6", "2 100 1"), BookInspection.fills(order(SELL, 99, 7, 4)));
    }

    @Test
    void priceComesBeforeTimeAndTimeDecidesWithinAPrice()
    {
        order(BUY, 100, 5, 1);
        order(BUY, 101, 5, 2);
        order(BUY, 101, 5, 3);

        final ExecutionReport.Decoder taker = order(SELL, 100, 12, 4);

        assertEquals(List.of("2 101 5", "3 101 5", "1 100 2"), BookInspection.fills(taker));
        assertEquals(List.of("1 3@100"), BookInspection.side(engine, INSTRUMENT, BUY));
    }

    @Test
    void cancelRemovesARestingOrderOnce()
    {
        order(SELL, 100, 7, 9);
        order(SELL, 100, 3, 10);

        final ExecutionReport.Decoder cancelled = cancel(INSTRUMENT, 1);
        assertEquals(ExecutionReport.CANCELLED, cancelled.status());
        assertEquals(9, cancelled.clientOrderId());
        assertEquals(7, cancelled.cancelledQuantity());
        assertEquals(List.of("2 3@100"), BookInspection.side(engine, INSTRUMENT, SELL));

        assertEquals(ExecutionReport.UNKNOWN_ORDER, cancel(INSTRUMENT, 1).status(), "already cancelled");
        assertEquals(ExecutionReport.UNKNOWN_ORDER, cancel(1, 2).status(), "rests on another instrument");
        assertEquals(ExecutionReport.UNKNOWN_ORDER, cancel(INSTRUMENT, 99).status(), "never existed");
    }

    @Test
    void aFilledOrderCannotBeCancelled()
    {
        order(SELL, 100, 5, 1);
        order(BUY, 100, 5, 2);
        assertEquals(ExecutionReport.UNKNOWN_ORDER, cancel(INSTRUMENT, 1).status());
    }

    @Test
    void instrumentsHaveBooksOfTheirOwn()
    {
        order(SELL, 100, 5, 1);
        encoder.newOrder(command, 0, 1, BUY, 2, 100, 5);
        final ExecutionReport.Decoder other = apply(encoder.length());
        assertEquals(0, other.fillCount());
        assertEquals(List.of("2 5@100"), BookInspection.side(engine, 1, BUY));
        assertEquals(List.of("1 5@100"), BookInspection.side(engine, INSTRUMENT, SELL));
    }

    @Test
    void invalidOrdersAreRejectedAndChangeNothing()
    {
        assertRejected(ExecutionReport.REASON_BAD_PRICE, order(BUY, 0, 5, 1));
        assertRejected(ExecutionReport.REASON_BAD_QUANTITY, order(SELL, 10, -1, 2));
        assertRejected(ExecutionReport.REASON_BAD_SIDE, order((byte)7, 10, 1, 3));
        encoder.newOrder(command, 0, 2, BUY, 4, 10, 1);
        assertRejected(ExecutionReport.REASON_UNKNOWN_INSTRUMENT, apply(encoder.length()));
        assertRejected(ExecutionReport.REASON_MALFORMED, apply(OrderCommands.NEW_ORDER_LENGTH - 1));
        assertEquals(0, engine.restingOrderCount());
    }

    @Test
    void theFillLimitCancelsARemainderThatStillCrossesSoTheBookNeverCrosses()
    {
        engine = new MatchingEngineStateMachine(1, 2);
        order(SELL, 100, 1, 1);
        order(SELL, 101, 1, 2);
        order(SELL, 102, 1, 3);

        final ExecutionReport.Decoder taker = order(BUY, 105, 10, 4);

        assertEquals(List.of("1 100 1", "2 101 1"), BookInspection.fills(taker));
        assertEquals(0, taker.restingQuantity());
        assertEquals(8, taker.cancelledQuantity());
        assertEquals(List.of(), BookInspection.side(engine, INSTRUMENT, BUY));
    }

    @Test
    void theReportCarriesTheCommandsTimestampNotALocalClock()
    {
        encoder.newOrder(command, 0, INSTRUMENT, BUY, 1, 100, 1);
        response.reset();
        engine.apply(++slot, 123_456_789L, command, 0, encoder.length(), response);
        assertEquals(123_456_789L, report.wrap(response.buffer(), 0).transactTime());
    }

    @Test
    void randomOrdersAndCancelsAgreeWithTheReferenceModel()
    {
        final long seed = 11;
        final Random random = new Random(seed);
        final ReferenceBook reference = new ReferenceBook();
        engine = new MatchingEngineStateMachine(1, 1000);
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++)
        {
            if (random.nextInt(4) == 0 && !ids.isEmpty())
            {
                final long orderId = ids.get(random.nextInt(ids.size()));
                final long expected = reference.cancel(orderId);
                final ExecutionReport.Decoder cancelled = cancel(INSTRUMENT, orderId);
                assertEquals(expected < 0 ? ExecutionReport.UNKNOWN_ORDER : ExecutionReport.CANCELLED,
                    cancelled.status(), "cancel of " + orderId + " at command " + i + " (seed " + seed + ")");
                if (expected >= 0)
                {
                    assertEquals(expected, cancelled.cancelledQuantity());
                }
                continue;
            }
            final byte side = random.nextBoolean() ? BUY : SELL;
            final long price = 1_000 + random.nextInt(40) - (side == BUY ? 10 : -10) * (random.nextInt(3) - 1);
            final long quantity = 1 + random.nextInt(50);
            final ReferenceBook.Outcome expected = reference.submit(slot + 1, i, side, price, quantity);
            final ExecutionReport.Decoder taken = order(side, price, quantity, i);
            ids.add(taken.orderId());
            assertEquals(expected.fills, BookInspection.fills(taken), "fills at command " + i + " (seed " + seed + ")");
            assertEquals(expected.resting, taken.restingQuantity(), "resting at command " + i);
            assertBookNotCrossed(i);
        }
        assertEquals(reference.side(BUY), BookInspection.side(engine, INSTRUMENT, BUY));
        assertEquals(reference.side(SELL), BookInspection.side(engine, INSTRUMENT, SELL));
        assertEquals(reference.resting().size(), engine.restingOrderCount());
        assertTrue(engine.tradeCount() > 1_000, "the orders traded: " + engine);
    }

    private void assertBookNotCrossed(final int commandIndex)
    {
        final long bid = engine.bestPrice(INSTRUMENT, BUY);
        final long ask = engine.bestPrice(INSTRUMENT, SELL);
        assertTrue(bid == 0 || ask == 0 || bid < ask, "crossed book " + bid + " / " + ask + " at " + commandIndex);
    }

    private static void assertRejected(final byte reason, final ExecutionReport.Decoder rejected)
    {
        assertEquals(ExecutionReport.REJECTED, rejected.status());
        assertEquals(reason, rejected.rejectReason());
        assertEquals(-1, rejected.orderId());
    }

    private ExecutionReport.Decoder order(final byte side, final long price, final long quantity, final long clientId)
    {
        encoder.newOrder(command, 0, INSTRUMENT, side, clientId, price, quantity);
        return apply(encoder.length());
    }

    private ExecutionReport.Decoder cancel(final int instrumentId, final long orderId)
    {
        encoder.cancel(command, 0, instrumentId, orderId);
        return apply(encoder.length());
    }

    private ExecutionReport.Decoder apply(final int length)
    {
        response.reset();
        engine.apply(++slot, slot * 1000, command, 0, length, response);
        assertEquals(report.wrap(response.buffer(), 0).fillCount() * ExecutionReport.FILL_LENGTH +
            ExecutionReport.HEADER_LENGTH, response.length(), "response length");
        return report;
    }
}
