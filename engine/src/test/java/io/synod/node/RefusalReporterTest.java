package io.synod.node;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of refusals becomes at most a few reports a second, and the next report says how many were left out.
 */
class RefusalReporterTest
{
    @Test
    void atMostSixteenReportsASecondAndTheRestSummed()
    {
        final List<Throwable> reported = new ArrayList<>();
        final CachedNanoClock clock = new CachedNanoClock();
        final RefusalReporter reporter = new RefusalReporter(reported::add, clock);
        for (int i = 0; i < 1000; i++)
        {
            reporter.onError(new IllegalArgumentException("refused " + i));
        }
        assertEquals(RefusalReporter.REPORTS_PER_SECOND, reported.size());

        clock.advance(TimeUnit.SECONDS.toNanos(1));
        reporter.onError(new IllegalArgumentException("refused later"));
        assertEquals(RefusalReporter.REPORTS_PER_SECOND + 2, reported.size());
        final String summary = reported.get(RefusalReporter.REPORTS_PER_SECOND).getMessage();
        assertTrue(summary.startsWith((1000 - RefusalReporter.REPORTS_PER_SECOND) + " more client refusals"), summary);
        assertEquals("refused later", reported.get(reported.size() - 1).getMessage());
    }
}
