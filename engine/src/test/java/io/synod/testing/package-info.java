/**
 * Test support shared by the engine's tests: {@link io.synod.testing.InteractionCluster}, real protocol cores wired
 * with in-memory logs, one clock and a network the test drives message by message, and the data-driven interaction
 * scripts run on it ({@code src/test/resources/interaction/*.txt}, see docs/testing.md).
 */
package io.synod.testing;
