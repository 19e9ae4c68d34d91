package io.synod.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a client orders NewLeader events from several nodes.
 */
class LeaderViewTest
{
    private final LeaderView view = new LeaderView();

    @Test
    void followerStillNamingTheDeadLeaderUnderItsBallotIsStale()
    {
        assertTrue(view.onNewLeader(true, 10), "the leader's claim at connect");
        assertFalse(view.onNewLeader(false, 10), "a follower that has not yet seen the election end");
    }

    @Test
    void newLeadersOwnClaimAtAHigherBallotIsTaken()
    {
        view.onNewLeader(true, 10);
        assertTrue(view.onNewLeader(true, 20));
        assertEquals(20, view.ballot());
    }

    @Test
    void leadersOwnClaimAtTheBallotAFollowerReportedIsTaken()
    {
        assertTrue(view.onNewLeader(false, 20), "a follower names the leader first");
        assertTrue(view.onNewLeader(true, 20), "then the leader itself: the same news, still taken");
    }

    @Test
    void deposedLeadersClaimBelowTheKnownBallotIsStale()
    {
        view.onNewLeader(true, 20);
        assertFalse(view.onNewLeader(true, 10));
        assertEquals(20, view.ballot());
    }
}
