/**
 * The evaluation protocol over the 18 downstream tasks (spec lovt-data-eval §3.2, §3.10): {@link
 * org.lovt.eval.protocol.Sweep} (lr grid, final runs, resumable under a lock), the original's results tables
 * ({@link org.lovt.eval.protocol.ResultsTable}), {@code results.md} with the paper's published rows ({@link
 * org.lovt.eval.protocol.ResultsReport}, {@link org.lovt.eval.protocol.PublishedResults}) and the bar charts ({@link
 * org.lovt.eval.protocol.DownstreamCharts}).
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}
 * ({@code DownstreamSuite}, {@code Results}).
 */
package org.lovt.eval.protocol;
