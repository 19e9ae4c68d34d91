package io.synod.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exit codes of {@code SynodStat --health} a script relies on; the verdicts themselves are tested in the engine
 * ({@code NodeHealthTest}) against running nodes.
 */
class SynodStatTest
{
    @Test
    void healthOfADirectoryWithoutANodeIsOne()
    {
        assertEquals(1, SynodStat.health(new String[] {"--health", "target/no-such-aeron-dir", "--node=1"}));
    }

    @Test
    void healthWithAnUnknownArgumentIsTwo()
    {
        assertEquals(2, SynodStat.health(new String[] {"--health", "target/no-such-aeron-dir", "--lag=5"}));
        assertEquals(2, SynodStat.health(new String[] {"--health"}));
    }
}
