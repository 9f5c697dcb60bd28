/**
 * The error catalogue: every code the handler reports, its upstream name, health and owner
 * ({@code ErrorCode}), the localized texts ({@code Messages}) and the one exception that carries a
 * code ({@code HandlerException}).
 *
 * <p>May use: nothing of the project.
 */
package io.vmsnapshot.error;
