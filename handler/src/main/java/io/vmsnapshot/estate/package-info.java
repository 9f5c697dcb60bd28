/**
 * What the VM around the handler is like, for {@code check}: the architecture, the C library and
 * the Java that runs the handler and why ({@code RuntimeRecord}, the launcher's {@code state/runtime}),
 * and the policy engines that can refuse to run the package's executables (SELinux's mode,
 * fapolicyd and its trust database: {@code PolicyEngines}, {@code FapolicydTrust}), rendered by
 * {@code EstateReport}.
 *
 * <p>May use: error.
 */
package io.vmsnapshot.estate;
