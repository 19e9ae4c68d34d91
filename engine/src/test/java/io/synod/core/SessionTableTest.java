package io.synod.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-principal count follows opens, closes and expiry; anonymous sessions are not counted.
 */
class SessionTableTest
{
    @Test
    void sessionsOfAPrincipalAreCountedThroughCloseAndExpiry()
    {
        final SessionTable table = new SessionTable();
        table.open(1, 100, 1, 11, 7);
        table.open(2, 200, 1, 22, 7);
        table.open(3, 300, 1, 33, SessionTable.ANONYMOUS);
        assertEquals(2, table.sessionsOf(7));
        assertEquals(0, table.sessionsOf(SessionTable.ANONYMOUS), "anonymous sessions are not counted");

        table.close(1);
        assertEquals(1, table.sessionsOf(7));
        table.close(1);
        assertEquals(1, table.sessionsOf(7), "closing twice counts once");

        assertEquals(1, table.expire(250));
        assertEquals(0, table.sessionsOf(7));
        assertEquals(33, table.get(3).key, "the owner's key is kept in the record");
    }
}
