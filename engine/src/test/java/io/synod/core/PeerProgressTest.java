package io.synod.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader's view of one peer: what it acknowledged, where sending resumes, and the three rewind rules.
 */
class PeerProgressTest
{
    private static final long SILENCE = 10;

    private final PeerProgress peer = new PeerProgress(SILENCE);

    @Test
    void aNewTermCountsNothingFromItsFirstSlotAndSendsFromThere()
    {
        peer.reset(5, -1, 0);

        assertEquals(4, peer.match());
        assertEquals(5, peer.next());
    }

    @Test
    void aPeerThatReportedFewerChosenSlotsStartsItsCatchUpThere()
    {
        peer.reset(5, 2, 0);

        assertEquals(4, peer.match(), "the match is still below the term's first slot");
        assertEquals(2, peer.next(), "Success from its own first unchosen slot");
    }

    @Test
    void anAcceptedRaisesTheMatchAndNeverLowersIt()
    {
        peer.reset(0, -1, 0);
        peer.sent(8);

        peer.onAccepted(6, false, 1);
        assertEquals(6, peer.match());
        assertEquals(8, peer.next(), "slots 7 and 8 are in flight: not sent again");

        peer.onAccepted(3, false, 2);
        assertEquals(6, peer.match(), "a late, older reply does not lower it");
    }

    @Test
    void anAcceptedThatSaysBehindResumesSendingAfterItsLastSlot()
    {
        peer.reset(0, -1, 0);
        peer.sent(8);

        peer.onAccepted(2, true, 1);

        assertEquals(3, peer.next());
    }

    @Test
    void anAcceptedBeyondWhatWasSentMovesSendingPastIt()
    {
        peer.reset(0, 5, 0); // catch-up from 0 while the peer already holds more
        peer.onAccepted(4, false, 1);

        assertEquals(5, peer.next());
    }

    @Test
    void sendingStopsAtTheLogEndAndAtTheWindow()
    {
        peer.reset(0, -1, 0);
        assertTrue(peer.canSend(10, 4));
        assertFalse(peer.canSend(0, 4), "nothing to send");

        peer.sent(5);
        assertFalse(peer.canSend(10, 4), "5 slots beyond the match of -1 exceed a window of 4");
        assertTrue(peer.canSend(10, 6));
    }

    @Test
    void rule1ASilentPeerBehindTheLogIsSentAgainFromItsMatch()
    {
        peer.reset(0, -1, 0);
        peer.sent(8);
        peer.onAccepted(3, false, 0);

        assertFalse(peer.rewindIfSilent(7, SILENCE - 1), "not silent for an interval yet");
        assertEquals(8, peer.next());

        assertTrue(peer.rewindIfSilent(7, SILENCE));
        assertEquals(4, peer.next());
        assertFalse(peer.rewindIfSilent(7, SILENCE + 1), "the rewind restarts the silence");
    }

    @Test
    void rule1APeerThatHoldsTheWholeLogIsNeverRewound()
    {
        peer.reset(0, -1, 0);
        peer.sent(8);
        peer.onAccepted(7, false, 0);

        assertFalse(peer.rewindIfSilent(7, 100 * SILENCE));
        assertEquals(8, peer.next());
    }

    @Test
    void rule2UndeliveredDataIsSentAgainFromAfterTheMatchAtOnce()
    {
        peer.reset(0, -1, 0);
        peer.sent(8);
        peer.onAccepted(3, false, 0);

        peer.rewindToAcknowledged();
        assertEquals(4, peer.next());

        peer.reset(5, 2, 0);
        peer.rewindToAcknowledged();
        assertEquals(2, peer.next(), "never forward: a catch-up below the match stays");
    }

    @Test
    void rule3AnIdlePeerBehindTheCommitIndexIsSentWhatItMisses()
    {
        peer.reset(0, -1, 0);
        peer.sent(8);

        assertFalse(peer.rewindToPeerCommit(3, 6, SILENCE - 1), "acknowledged within an interval: in flight");
        assertFalse(peer.rewindToPeerCommit(6, 6, SILENCE), "not behind the leader's commit index");
        assertEquals(8, peer.next());

        assertTrue(peer.rewindToPeerCommit(3, 6, SILENCE));
        assertEquals(3, peer.next());
        assertFalse(peer.rewindToPeerCommit(3, 6, SILENCE + 1), "already sending from there");
    }
}
