/**
 * Which sequence number a run is about, and the last one handled ({@code mrseq}).
 *
 * <p>May use: agent, error.
 */
package io.vmsnapshot.seqno;
