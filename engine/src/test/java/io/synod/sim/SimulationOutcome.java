package io.synod.sim;

/**
 * Result of a run that passed.
 */
public final class SimulationOutcome
{
    public final long seed;
    public final int nodes;
    public final long chosenSlots;
    public final long acknowledged;
    public final int healTicks;
    public final long elections;
    public final int crashesInCycle;
    /** Times a node restarted with an empty log and had to rejoin. */
    public int wipes;
    /** Long-partition runs: ticks at which availability was asserted (a majority connected long enough). */
    public int availabilityChecks;
    /** Long-partition runs: elections started while a majority had been connected long enough. */
    public long stableElections;
    /** The clients' sessions: moves to another member, on silence, redirect or NewLeader. */
    public long clientFailovers;
    /** The clients' sessions: redirects followed or waited on. */
    public long clientRedirects;
    /** The clients' sessions: commands sent again. */
    public long clientResends;
    /** BUSY answers the clients got (their sessions resend after the retry delay). */
    public long busyAnswers;
    /** SEQUENCE_GAP answers the clients got (their sessions resend from the oldest unanswered). */
    public long sequenceGapAnswers;

    SimulationOutcome(
        final long seed,
        final int nodes,
        final long chosenSlots,
        final long acknowledged,
        final int healTicks,
        final long elections,
        final int crashesInCycle)
    {
        this.seed = seed;
        this.nodes = nodes;
        this.chosenSlots = chosenSlots;
        this.acknowledged = acknowledged;
        this.healTicks = healTicks;
        this.elections = elections;
        this.crashesInCycle = crashesInCycle;
    }

    public String toString()
    {
        return "seed " + seed + ": " + nodes + " nodes, " + chosenSlots + " slots chosen, " + acknowledged +
            " commands acknowledged, healed in " + healTicks + " ticks, " + elections + " elections, " +
            crashesInCycle + " crashes inside a duty cycle, " + wipes + " wipes" +
            (availabilityChecks > 0 ? ", " + availabilityChecks + " availability checks, " + stableElections +
            " elections in stable periods" : "") + "; clients: " + clientFailovers + " failovers, " + clientRedirects +
            " redirects, " + clientResends + " resends, " + busyAnswers + " BUSY, " + sequenceGapAnswers +
            " SEQUENCE_GAP";
    }
}
