package io.synod.log;

import org.agrona.DirectBuffer;

/**
 * The acceptor's memory: a contiguous run of entries by slot, plus the durable promise and commit index.
 * <p>
 * Slots held are {@code [firstSlot(), nextSlot())}, with no holes. {@link #append} at {@link #nextSlot()} extends the
 * log; at a lower, unchosen slot it supersedes the entry held there and leaves every other slot as it was. Nothing is
 * ever cut: an accepted entry is only replaced by another, and (for a log on disk) its record stays until the
 * replacement is durable. The protocol core is the single writer; implementations are not thread safe.
 * <p>
 * Durability: writes are visible to {@link #read(long, LogEntry)} at once. What survives a crash is the state at the
 * last completed {@link #sync()} (entries, promise, commit index together), under the implementation's durability
 * policy; the runtime calls it once per duty cycle before any reply leaves the node (group commit), so whatever a
 * message claims was durable before it left.
 */
public interface PaxosLog extends AutoCloseable
{
    /** Returned by {@link #ballotAt(long)} for a slot the log does not hold. */
    long NO_BALLOT = -1;

    /**
     * @return the highest ballot this acceptor has promised, or 0 when it has promised nothing.
     */
    long promisedBallot();

    /**
     * Record a promise. Survives a crash once {@link #sync()} returns.
     *
     * @param ballot the promised ballot, never lower than the current one.
     */
    void promisedBallot(long ballot);

    /**
     * @return true if this acceptor may vote: promise to candidates and have its Accepted replies counted. A log
     * created empty is not voting (it may belong to a node that lost its state while the cluster has history) unless
     * the node was told to bootstrap a brand-new cluster; the core sets it once the rejoin rule of docs/protocol.md
     * lets the node back.
     */
    boolean voting();

    /**
     * Record whether this acceptor votes. Survives a crash once {@link #sync()} returns, like the promise.
     *
     * @param voting the new value.
     */
    void voting(boolean voting);

    /**
     * @return the firstUnchosenIndex as recorded: every slot below it is known chosen.
     */
    long commitIndex();

    /**
     * Mark every slot below {@code commitIndex} chosen.
     *
     * @param commitIndex the new firstUnchosenIndex, never lower than the current one nor above {@link #nextSlot()}.
     */
    void commitIndex(long commitIndex);

    /**
     * @return the lowest slot held; 0 unless the log was truncated below a snapshot.
     */
    long firstSlot();

    /**
     * @return one past the highest slot held; equals {@link #firstSlot()} when empty.
     */
    long nextSlot();

    /**
     * @param slot to look up.
     * @return the ballot the entry at slot was accepted under, or {@link #NO_BALLOT} if the slot is not held.
     */
    long ballotAt(long slot);

    /**
     * Point a reusable view at the entry in slot. Zero copy: the view's payload is the log's own memory and is valid
     * until the next write or truncation.
     *
     * @param slot  to read.
     * @param entry view to wrap.
     * @return false if the slot is not held.
     */
    boolean read(long slot, LogEntry entry);

    /**
     * Accept an entry: at {@link #nextSlot()} it extends the log; below it, it supersedes the entry in that slot (a
     * higher ballot, or the chosen value) and no other slot changes.
     *
     * @param slot          from {@code max(firstSlot(), commitIndex())} to {@link #nextSlot()}: chosen slots are
     *                      immutable.
     * @param ballot        the entry was accepted under.
     * @param type          entry type code, see {@code io.synod.codecs.EntryType}.
     * @param sessionId     client session, 0 for none.
     * @param sequence      client sequence within the session, 0 for none.
     * @param timestamp     the leader's clock when it proposed the entry.
     * @param payload       bytes of the entry.
     * @param payloadOffset of the bytes in payload.
     * @param payloadLength of the bytes, 0 to {@link #maxPayloadLength()}.
     * @throws IllegalArgumentException if slot is outside that range or the payload is too long.
     */
    void append(
        long slot,
        long ballot,
        byte type,
        long sessionId,
        long sequence,
        long timestamp,
        DirectBuffer payload,
        int payloadOffset,
        int payloadLength);

    /**
     * Accept an entry whose fields another view holds: the same as the field by field {@link #append}, for callers
     * that have a {@link LogEntry} (one read from a log, a decoded message's entry, a phase 1 value).
     *
     * @param slot   as for {@link #append(long, long, byte, long, long, long, DirectBuffer, int, int)}.
     * @param ballot the entry is accepted under; the view's own slot and ballot are not used (a new leader
     *               re-proposes a reported value under its own ballot, an acceptor records a Success entry chosen).
     * @param value  type, session, sequence, timestamp and payload of the entry; read before this returns.
     * @throws IllegalArgumentException if slot is outside the allowed range or the payload is too long.
     */
    default void append(final long slot, final long ballot, final LogEntry value)
    {
        append(
            slot,
            ballot,
            value.type(),
            value.sessionId(),
            value.sequence(),
            value.timestamp(),
            value.payload(),
            0,
            value.payloadLength());
    }

    /**
     * Drop slots below {@code slot} (compaction after a snapshot). The storage may keep them until convenient.
     *
     * @param slot new lowest slot; at most {@link #commitIndex()}.
     */
    void truncateBelow(long slot);

    /**
     * @return the largest payload an entry may hold.
     */
    int maxPayloadLength();

    /**
     * Satisfy the durability policy for everything written so far (group commit: once per duty cycle). After a crash
     * the log recovers to the state of the last completed sync, never to a mix of states.
     */
    void sync();

    /**
     * Release the storage. The log is unusable afterwards.
     */
    void close();
}
