/**
 * The downstream evaluation protocol (spec lovt-data-eval §3): the paper's 18 tasks ({@link
 * org.lovt.eval.downstream.DownstreamTasks}), and {@link org.lovt.eval.downstream.DownstreamRunner}, which trains a
 * task's head on a backbone with {@link org.lovt.train.Trainer}, keeps the best epoch and tests it, caching a frozen
 * backbone's features once per image.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}
 * ({@code DownstreamEvaluation}).
 */
package org.lovt.eval.downstream;
