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
            " elections in stable periods" : "");
    }
}
