package org.lovt.torch.dist;

import java.util.Map;
import java.util.Optional;

import org.lovt.LovtException;

/**
 * Where this process stands in a data-parallel job, read from the environment variables that {@code torchrun} (and
 * {@code lovt pretrain --nproc}) set: {@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK}, {@code MASTER_ADDR},
 * {@code MASTER_PORT}.
 *
 * @param rank       this process's rank, 0 ≤ rank &lt; worldSize (rank 0 hosts the rendezvous store)
 * @param worldSize  number of processes
 * @param localRank  rank among the processes of this machine (the GPU index on a multi-GPU node)
 * @param masterAddr host of rank 0's store
 * @param masterPort its TCP port
 */
public record DistributedEnv(int rank, int worldSize, int localRank, String masterAddr, int masterPort) {
    public DistributedEnv {
        if (worldSize < 1) {
            throw new LovtException("WORLD_SIZE must be at least 1, got " + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new LovtException("RANK must be in [0, " + worldSize + "), got " + rank);
        }
        if (localRank < 0 || localRank > rank) {
            throw new LovtException("LOCAL_RANK must be in [0, RANK = " + rank + "], got " + localRank);
        }
        if (masterAddr == null || masterAddr.isBlank()) {
            throw new LovtException("MASTER_ADDR is empty");
        }
        if (masterPort < 1 || masterPort > 65535) {
            throw new LovtException("MASTER_PORT must be in [1, 65535], got " + masterPort);
        }
    }

    /** The job this process belongs to, or empty when {@code WORLD_SIZE} is unset (a single-process run). */
    public static Optional<DistributedEnv> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, from the given variables. */
    public static Optional<DistributedEnv> fromEnvironment(Map<String, String> env) {
        String world = env.get("WORLD_SIZE");
        if (world == null || world.isBlank()) {
            return Optional.empty();
        }
        int worldSize = number(env, "WORLD_SIZE", null);
        int rank = number(env, "RANK", null);
        int localRank = number(env, "LOCAL_RANK", rank);
        String addr = env.getOrDefault("MASTER_ADDR", "127.0.0.1");
        int port = number(env, "MASTER_PORT", null);
        return Optional.of(new DistributedEnv(rank, worldSize, localRank, addr.strip(), port));
    }

    /** Whether rank 0's store is on this machine's loopback interface. */
    public boolean loopback() {
        return masterAddr.equals("localhost") || masterAddr.startsWith("127.") || masterAddr.equals("::1");
    }

    private static int number(Map<String, String> env, String key, Integer fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw new LovtException(key + " is not set (WORLD_SIZE is, so this is a distributed run; set RANK, "
                    + "WORLD_SIZE, MASTER_ADDR and MASTER_PORT as torchrun does)");
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new LovtException(key + " must be an integer, got '" + v + "'", e);
        }
    }
}
