/**
 * What both sides of Synod share: the user's {@link io.synod.StateMachine} and the {@link io.synod.ResponseWriter} it
 * answers through, the member list ({@link io.synod.ClusterMember}), the settings' names and defaults
 * ({@link io.synod.Configuration}), idle strategies and error printing. Depends on no other Synod package except the
 * codecs: the node ({@code io.synod.node}), the client ({@code io.synod.client}) and the protocol core
 * ({@code io.synod.core}) build on it.
 */
package io.synod;
