package io.synod.client;

/**
 * What a client believes about who leads, from NewLeader events: it orders them by ballot, because several nodes
 * send them and some speak from an older view. A leader's own claim is taken at a ballot at least the highest known
 * (the node that took over is the freshest source); another node's word only above it, since a follower keeps
 * naming a dead leader under that leader's ballot until the election ends.
 */
final class LeaderView
{
    private long ballot = -1;

    /**
     * @param fromLeaderItself the event names its sender.
     * @param eventBallot      the ballot the event carries.
     * @return true if the event is news, and now the view; false if stale (ignore it).
     */
    public boolean onNewLeader(final boolean fromLeaderItself, final long eventBallot)
    {
        if (fromLeaderItself ? eventBallot < ballot : eventBallot <= ballot)
        {
            return false;
        }
        ballot = eventBallot;
        return true;
    }

    /** @return the highest leader ballot taken, -1 before any event. */
    public long ballot()
    {
        return ballot;
    }
}
