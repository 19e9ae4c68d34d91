package io.synod.log;

import java.nio.file.Path;

/**
 * The log on disk holds a damaged record that is not at its tail, or is inconsistent across files, so it cannot be
 * recovered without losing entries that may have been acknowledged. Never thrown for a torn tail, which is cut.
 * <p>
 * The operator recovers the node by wiping its log directory and letting it catch up from the leader (see
 * {@code docs/log.md}, "Operator recovery of a corrupt node").
 */
public final class LogCorruptedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final long slot;

    /**
     * @param file   holding the damage.
     * @param offset of the damaged record in the file.
     * @param slot   the slot expected at that offset.
     * @param reason what is wrong.
     */
    public LogCorruptedException(final Path file, final long offset, final long slot, final String reason)
    {
        super("log corrupted: " + reason + " (file=" + file + ", offset=" + offset + ", slot=" + slot +
            "); wipe this node's log directory and let it catch up from the leader");
        this.file = file;
        this.offset = offset;
        this.slot = slot;
    }

    /** @return the damaged file. */
    public Path file()
    {
        return file;
    }

    /** @return the byte offset of the damaged record in {@link #file()}. */
    public long offset()
    {
        return offset;
    }

    /** @return the slot expected at {@link #offset()}. */
    public long slot()
    {
        return slot;
    }
}
