/**
 * Synod's public API: the user's {@link io.synod.StateMachine} and where it writes responses. Everything in
 * sub-packages is the engine's own.
 */
package io.synod;
