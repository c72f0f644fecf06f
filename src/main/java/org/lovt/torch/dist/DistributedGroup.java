package org.lovt.torch.dist;

import java.time.Duration;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.BackendOptional;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroup;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Natives;
import org.lovt.torch.Tensors;

/**
 * A c10d process group over the processes of one data-parallel job: libtorch's {@code TCPStore} for the
 * rendezvous (rank 0 listens on {@code MASTER_ADDR:MASTER_PORT}), its Gloo backend for CPU tensors. The same
 * objects PyTorch's {@code init_process_group("gloo")} builds; NCCL for CUDA tensors needs the GPU natives and is
 * not wired yet.
 *
 * <p>Every collective waits for all ranks; when a rank dies or stalls, the others fail after the timeout (or at
 * once, when its connections close) with a {@link LovtException} naming the operation and this rank, instead of
 * hanging. libtorch's stores may be handed to one consumer each (a second hand-over aborts the JVM, libtorch-java.md
 * §11): every consumer here gets its own {@code PrefixStore} over a clone.
 */
public final class DistributedGroup implements AutoCloseable {
    private final DistributedEnv env;
    private final Duration timeout;
    private final TCPStore store;
    private final ProcessGroup group;
    private boolean closed;

    private DistributedGroup(DistributedEnv env, Duration timeout, TCPStore store, ProcessGroup group) {
        this.env = env;
        this.timeout = timeout;
        this.store = store;
        this.group = group;
    }

    /**
     * Joins the job described by {@code env} with the Gloo backend: blocks until all {@code worldSize} ranks have
     * connected to rank 0's store (or {@code timeout} passes).
     */
    public static DistributedGroup gloo(DistributedEnv env, Duration timeout) {
        Natives.load();
        Milliseconds ms = new Milliseconds(timeout.toMillis());
        TCPStore store;
        try {
            TCPStoreOptions o = new TCPStoreOptions();
            o.port((short) env.masterPort());
            o.isServer(env.rank() == 0);
            // numWorkers (a std::optional) stays unset and the server does not wait for the workers: the Gloo
            // backend's own rendezvous below waits until every rank has joined.
            o.waitWorkers(false);
            o.timeout(ms);
            store = new TCPStore(env.masterAddr(), o);
        } catch (RuntimeException e) {
            throw new LovtException("rank " + env.rank() + " cannot " + (env.rank() == 0 ? "open" : "reach")
                    + " the rendezvous store at " + env.masterAddr() + ":" + env.masterPort() + " within "
                    + timeout.toSeconds() + " s: " + firstLine(e), e);
        }
        try {
            ProcessGroupGloo.Options go = ProcessGroupGloo.Options.create(ms);
            String iface = System.getenv("GLOO_SOCKET_IFNAME");
            go.devices(new GlooDeviceVector(iface != null && !iface.isBlank()
                    ? ProcessGroupGloo.createDeviceForInterface(iface.strip())
                    : env.loopback() ? ProcessGroupGloo.createDeviceForHostname("127.0.0.1")
                    : ProcessGroupGloo.createDefaultDevice()));
            ProcessGroupGloo gloo = new ProcessGroupGloo(new PrefixStore("gloo", store.clone()), env.rank(),
                    env.worldSize(), go);
            ProcessGroup pg = new ProcessGroup(new PrefixStore("pg", store.clone()), env.rank(), env.worldSize());
            pg.setBackend(torch.DeviceType.CPU, ProcessGroup.BackendType.GLOO, new BackendOptional(gloo));
            pg.setTimeout(ms);
            return new DistributedGroup(env, timeout, store, pg);
        } catch (RuntimeException e) {
            throw new LovtException("rank " + env.rank() + " cannot form the Gloo process group of " + env.worldSize()
                    + " processes: " + firstLine(e), e);
        }
    }

    /** This process's rank. */
    public int rank() {
        return env.rank();
    }

    /** Number of processes. */
    public int worldSize() {
        return env.worldSize();
    }

    /** The job description this group was formed from. */
    public DistributedEnv env() {
        return env;
    }

    /** The underlying c10d group (for libtorch's DDP engine). */
    ProcessGroup processGroup() {
        return group;
    }

    /** Replaces {@code t} (any rank's copy) with the sum over ranks, in place. */
    public void allReduceSum(Tensor t) {
        allReduce(t, ReduceOp.RedOpType.SUM, "all-reduce (sum)");
    }

    /** Replaces {@code t} with the mean over ranks, in place. */
    public void allReduceMean(Tensor t) {
        allReduce(t, ReduceOp.RedOpType.AVG, "all-reduce (mean)");
    }

    /** The element-wise mean over ranks of a few numbers (metrics), in double precision. */
    public double[] meanOverRanks(double[] values) {
        Tensor t = Tensors.doubles(values.clone(), values.length);
        allReduceMean(t);
        double[] out = new double[values.length];
        t.contiguous().data_ptr_double().get(out);
        return out;
    }

    /**
     * Every rank's {@code (B, ...)} rows in rank order as one {@code (world · B, ...)} tensor, this rank's rows being
     * {@code local} itself (with its gradient), the others' constants; every rank must pass the same shape. Built on
     * an all-reduce of a zero-padded stack (Gloo's all-gather would serve too).
     */
    public Tensor gatherRows(Tensor local) {
        long[] shape = local.sizes().vec().get();
        long[] stacked = new long[shape.length + 1];
        stacked[0] = env.worldSize();
        System.arraycopy(shape, 0, stacked, 1, shape.length);
        Tensor slots = torch.zeros(stacked, local.options());
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            slots.select(0, env.rank()).copy_(local.detach());
        }
        allReduceSum(slots);
        TensorVector parts = new TensorVector();
        for (int r = 0; r < env.worldSize(); r++) {
            parts.push_back(r == env.rank() ? local : slots.select(0, r));
        }
        return torch.cat(parts, 0);
    }

    /** Overwrites {@code tensors} on every rank with rank {@code root}'s values. */
    public void broadcast(TensorVector tensors, int root) {
        run("broadcast", () -> {
            org.bytedeco.pytorch.BroadcastOptions o = new org.bytedeco.pytorch.BroadcastOptions();
            o.rootRank(root);
            return group.broadcast(tensors, o);
        });
    }

    /** Waits until every rank has reached this call. */
    public void barrier() {
        run("barrier", group::barrier);
    }

    private void allReduce(Tensor t, ReduceOp.RedOpType op, String what) {
        run(what, () -> {
            AllreduceOptions o = new AllreduceOptions();
            o.reduceOp(new ReduceOp(op));
            return group.allreduce(new TensorVector(t), o);
        });
    }

    private void run(String what, java.util.function.Supplier<Work> op) {
        if (closed) {
            throw new LovtException("the process group of rank " + env.rank() + " is closed");
        }
        try {
            Work w = op.get();
            if (!w._wait(new Milliseconds(timeout.toMillis()))) {
                throw new LovtException(what + " on rank " + env.rank() + " of " + env.worldSize()
                        + " did not finish within " + timeout.toSeconds() + " s (another rank died or stalls)");
            }
        } catch (RuntimeException e) {
            if (e instanceof LovtException) {
                throw e;
            }
            throw new LovtException(what + " failed on rank " + env.rank() + " of " + env.worldSize()
                    + " (another rank died or left): " + firstLine(e), e);
        }
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Releases the group; collectives fail afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            group.close();
            store.close();
        }
    }

    /** The store, for components that need their own prefix of it (each gets a clone). */
    Store storeClone() {
        return store.clone();
    }
}
