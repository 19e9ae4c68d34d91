package io.synod.samples.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an engine's books and reports the way {@link ReferenceBook} writes them, so tests compare text.
 */
final class BookInspection
{
    private BookInspection()
    {
    }

    static List<String> side(final MatchingEngineStateMachine engine, final int instrumentId, final byte side)
    {
        final List<String> text = new ArrayList<>();
        engine.forEachRestingOrder(instrumentId, side,
            (orderId, clientOrderId, price, quantity) -> text.add(orderId + " " + quantity + "@" + price));
        return text;
    }

    static List<String> fills(final ExecutionReport.Decoder report)
    {
        final List<String> fills = new ArrayList<>();
        for (int i = 0; i < report.fillCount(); i++)
        {
            fills.add(report.fillMakerOrderId(i) + " " + report.fillPrice(i) + " " + report.fillQuantity(i));
        }
        return fills;
    }
}
