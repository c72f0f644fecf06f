package org.lovt.torch.dist;

import org.bytedeco.pytorch.BoolVector;
import org.bytedeco.pytorch.LoggerOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Reducer;
import org.bytedeco.pytorch.SizeTStringMap;
import org.bytedeco.pytorch.SizeTVector;
import org.bytedeco.pytorch.SizeTVectorVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;

/**
 * Data-parallel gradient averaging with libtorch's own DDP engine ({@code c10d::Reducer}), as PyTorch's
 * {@code DistributedDataParallel} sets it up: on construction rank 0's parameters (and buffers) are broadcast to
 * every rank and then checked to agree in shape and number; gradients are grouped into buckets (25 MB, the first
 * 1 MB, in reverse order of the parameters, as DDP does) and each bucket is all-reduced while the backward pass
 * is still running; after {@code backward()} every rank holds the gradient averaged over ranks.
 *
 * <p>Per step: {@link #beforeForward()}, the forward pass, then {@link #backward(Tensor)} with the loss instead of
 * {@code loss.backward()}. Parameters that take no part in a step's loss (LoVT has such: heads of losses a config
 * switches off, BERT's pooler) are found by walking the autograd graph from the loss, as DDP does with
 * {@code find_unused_parameters=True}; without that their buckets would never complete and the ranks' gradients
 * would silently stay local ({@code DistributedPretrainTest} caught exactly this). Frozen parameters
 * ({@code requires_grad} false) are left out.
 */
public final class GradientSync {
    /** DDP's default bucket size and first-bucket size. */
    public static final long BUCKET_BYTES = 25L << 20;
    public static final long FIRST_BUCKET_BYTES = 1L << 20;

    private final DistributedGroup group;
    private final TensorVector params;
    private final TensorVector buffers;
    private final Reducer reducer;

    /**
     * Broadcasts rank 0's {@code parameters} and {@code buffers} (BatchNorm statistics; may be empty) and prepares
     * the buckets; every rank must call this with the same model.
     */
    public GradientSync(DistributedGroup group, TensorVector parameters, TensorVector buffers) {
        this.group = group;
        TensorVector trainable = new TensorVector();
        for (long i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).requires_grad()) {
                trainable.push_back(parameters.get(i));
            }
        }
        if (trainable.size() == 0) {
            throw new LovtException("data-parallel training needs at least one trainable parameter");
        }
        this.params = trainable;
        this.buffers = buffers;
        try (NoGradGuard g = new NoGradGuard()) {
            torch.broadcast_coalesced(group.processGroup(), parameters, 256L << 20, 0);
            if (buffers.size() > 0) {
                torch.broadcast_coalesced(group.processGroup(), buffers, 256L << 20, 0);
            }
        } catch (RuntimeException e) {
            throw new LovtException("rank " + group.rank() + " cannot receive rank 0's parameters: "
                    + DistributedGroup.firstLine(e), e);
        }
        try {
            torch.verify_params_across_processes(group.processGroup(), trainable, new LoggerOptional());
        } catch (RuntimeException e) {
            throw new LovtException("the ranks' models differ (every rank must build the same model): "
                    + DistributedGroup.firstLine(e), e);
        }
        SizeTVectorVector buckets = torch.compute_bucket_assignment_by_size(trainable,
                new SizeTVector(new long[] {FIRST_BUCKET_BYTES, BUCKET_BYTES}), new BoolVector(new boolean[(int) trainable.size()]),
                new org.bytedeco.pytorch.LongVector(), new LoggerOptional()).get0();
        this.reducer = new Reducer(trainable, buckets, group.processGroup(),
                new BoolVector(new boolean[(int) trainable.size()]), BUCKET_BYTES, true /* find unused */, false,
                new SizeTStringMap(), FIRST_BUCKET_BYTES, false, false);
    }

    /**
     * Before the step's forward pass: rank 0's buffers (BatchNorm running statistics) replace every rank's, as DDP's
     * {@code broadcast_buffers=True} does, so that all ranks normalise alike and validate the same model.
     */
    public void beforeForward() {
        syncBuffers();
        reducer.prepare_for_forward();
    }

    /**
     * Rank 0's buffers to every rank. A training forward pass updates each rank's BatchNorm statistics from its own
     * batch; call this before evaluating, so that all ranks evaluate the same model.
     */
    public void syncBuffers() {
        if (buffers.size() > 0) {
            try (NoGradGuard g = new NoGradGuard()) {
                torch.broadcast_coalesced(group.processGroup(), buffers, 256L << 20, 0);
            } catch (RuntimeException e) {
                throw new LovtException("rank " + group.rank() + " of " + group.worldSize() + " cannot receive rank "
                        + "0's buffers (another rank died or left): " + DistributedGroup.firstLine(e), e);
            }
        }
    }

    /**
     * The backward pass of {@code loss} with the gradients averaged over ranks as they are computed; a rank that
     * died or left fails it with a message naming this rank.
     */
    public void backward(Tensor loss) {
        try {
            reducer.prepare_for_backward(new TensorVector(loss));
            loss.backward();
        } catch (RuntimeException e) {
            throw new LovtException("the data-parallel backward pass failed on rank " + group.rank() + " of "
                    + group.worldSize() + " (another rank died or left): " + DistributedGroup.firstLine(e), e);
        }
    }

    /** The trainable parameters whose gradients are averaged. */
    public TensorVector parameters() {
        return params;
    }
}
