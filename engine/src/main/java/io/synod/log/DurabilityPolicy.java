package io.synod.log;

/**
 * What {@link MappedPaxosLog#sync()} guarantees, and so which failures the acknowledged content of the log survives.
 */
public enum DurabilityPolicy
{
    /**
     * Entries, the promise and the commit index are in the shared file mapping as soon as the call that wrote them
     * returns; {@code sync()} does nothing. Survives a crash of the process (including SIGKILL), because the mapping
     * lives in the kernel's page cache. Does not survive a power cut or a kernel crash: whatever the kernel had not
     * yet written back is lost, and the tail may be torn.
     */
    NONE,

    /**
     * {@code sync()} forces the range of the segment file(s) written since the last sync, then the metadata file, to
     * the device before returning (msync of the ranges; new and removed segment files are also made durable with a
     * directory fsync). Survives a power cut or kernel crash for everything written before the last {@code sync()}
     * returned; anything written after it may be lost or torn and is cut on recovery. Costs one device flush per
     * sync, so the runtime calls it once per duty cycle (group commit).
     */
    FORCE
}
