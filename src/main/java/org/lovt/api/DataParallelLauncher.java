package org.lovt.api;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lovt.LovtException;

/**
 * Starts the worker processes of a data-parallel pre-training on this machine, as {@code torchrun
 * --nproc-per-node} does: one JVM per local rank running the same command with {@code RANK}, {@code LOCAL_RANK},
 * {@code WORLD_SIZE}, {@code MASTER_ADDR} and {@code MASTER_PORT} set ({@link Pretraining} joins the job from
 * them), the same run folder for all, rank 0's output on this console and the others' in
 * {@code <run folder>/logs/rank<N>.log}.
 *
 * <p>When a worker fails, the others are stopped at once and the launcher returns the failed worker's exit status
 * after naming it and showing the end of its log; when the launcher itself is stopped (Ctrl-C, SIGTERM) it stops
 * its workers, and a worker whose launcher died (even by SIGKILL) stops itself within a second, so no worker is left
 * behind. Intra-op threads: unless {@code OMP_NUM_THREADS} or {@code LOVT_THREADS} is set, each worker gets its
 * share of the processors ({@code max(1, processors / nproc)}; torchrun sets 1).
 */
public final class DataParallelLauncher {
    /** Set in the workers' environment: the launcher's process id (they stop when it is gone). */
    public static final String LAUNCHER_PID = "LOVT_LAUNCHER_PID";

    private DataParallelLauncher() {}

    /**
     * Where this node's workers sit in the job.
     *
     * @param nprocPerNode workers on this machine
     * @param nnodes       machines in the job
     * @param nodeRank     this machine's index, 0 on the machine that hosts rank 0
     * @param masterAddr   rank 0's machine (127.0.0.1 for one machine)
     * @param masterPort   the rendezvous port on it (torchrun's default: 29500)
     */
    public record Topology(int nprocPerNode, int nnodes, int nodeRank, String masterAddr, int masterPort) {
        public Topology {
            if (nprocPerNode < 1) {
                throw new LovtException("--nproc must be at least 1, got " + nprocPerNode);
            }
            if (nnodes < 1 || nodeRank < 0 || nodeRank >= nnodes) {
                throw new LovtException("--node-rank must be in [0, --nnodes = " + nnodes + "), got " + nodeRank);
            }
            if (masterPort < 1 || masterPort > 65535) {
                throw new LovtException("--master-port must be in [1, 65535], got " + masterPort);
            }
            if (nnodes > 1 && (masterAddr.startsWith("127.") || masterAddr.equals("localhost"))) {
                throw new LovtException("a job over " + nnodes + " machines needs --master-addr, the address of the "
                        + "machine with --node-rank 0 as the others reach it");
            }
        }

        /** All workers of the job. */
        public int worldSize() {
            return nprocPerNode * nnodes;
        }
    }

    /**
     * Runs {@code command} (the CLI's arguments, without the launcher's options, for {@code mainClass}) in
     * {@code topology.nprocPerNode()} workers on this machine, all with {@code --run-dir runDir}; returns 0 when all
     * finished, else the first failed worker's exit status.
     */
    public static int launch(Topology topology, String mainClass, List<String> command, Path runDir, PrintStream log) {
        Path logs = runDir.resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new LovtException("cannot create " + logs + ": " + e.getMessage(), e);
        }
        List<String> base = new ArrayList<>();
        base.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        base.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        base.add("-cp");
        base.add(System.getProperty("java.class.path"));
        base.add(mainClass);
        base.addAll(withRunDir(command, runDir));
        int n = topology.nprocPerNode();
        List<Process> workers = new ArrayList<>();
        Thread stopAll = new Thread(() -> workers.forEach(Process::destroyForcibly), "lovt-launcher-stop");
        Runtime.getRuntime().addShutdownHook(stopAll);
        try {
            for (int local = 0; local < n; local++) {
                int rank = topology.nodeRank() * n + local;
                ProcessBuilder pb = new ProcessBuilder(base);
                Map<String, String> env = pb.environment();
                env.put("RANK", String.valueOf(rank));
                env.put("LOCAL_RANK", String.valueOf(local));
                env.put("WORLD_SIZE", String.valueOf(topology.worldSize()));
                env.put("MASTER_ADDR", topology.masterAddr());
                env.put("MASTER_PORT", String.valueOf(topology.masterPort()));
                env.put(LAUNCHER_PID, String.valueOf(ProcessHandle.current().pid()));
                if (isBlank(env.get("OMP_NUM_THREADS")) && isBlank(env.get("LOVT_THREADS"))) {
                    env.put("LOVT_THREADS", String.valueOf(Math.max(1,
                            Runtime.getRuntime().availableProcessors() / n)));
                }
                if (rank == 0) {
                    pb.inheritIO();
                } else {
                    pb.redirectErrorStream(true).redirectOutput(logs.resolve("rank" + rank + ".log").toFile());
                }
                try {
                    workers.add(pb.start());
                } catch (IOException e) {
                    throw new LovtException("cannot start worker " + rank + ": " + e.getMessage(), e);
                }
            }
            log.println("lovt: started " + n + " workers (ranks " + topology.nodeRank() * n + ".."
                    + (topology.nodeRank() * n + n - 1) + " of " + topology.worldSize() + ", rendezvous at "
                    + topology.masterAddr() + ":" + topology.masterPort() + "); "
                    + (topology.nodeRank() == 0 ? "rank 0 reports here, " : "") + "the others log to " + logs);
            log.flush();
            return supervise(workers, topology, logs, log);
        } finally {
            workers.forEach(Process::destroyForcibly);
            try {
                Runtime.getRuntime().removeShutdownHook(stopAll);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Waits for the workers in the order they exit; the first one to fail stops the others. */
    private static int supervise(List<Process> workers, Topology topology, Path logs, PrintStream log) {
        int n = workers.size();
        java.util.concurrent.BlockingQueue<Integer> exited = new java.util.concurrent.LinkedBlockingQueue<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            workers.get(i).onExit().thenRun(() -> exited.add(index));
        }
        for (int finished = 0; finished < n; finished++) {
            int i;
            try {
                i = exited.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LovtException("interrupted while the workers ran; stopped them", e);
            }
            int status = workers.get(i).exitValue();
            if (status != 0) {
                int rank = topology.nodeRank() * n + i;
                workers.forEach(Process::destroyForcibly);
                boolean here = rank == 0;
                log.println("lovt: worker rank " + rank + " failed (exit status " + status + "); stopped the other "
                        + "workers" + (here ? "" : " (its log: " + logs.resolve("rank" + rank + ".log") + ")"));
                if (!here) {
                    tail(logs.resolve("rank" + rank + ".log"), 8).forEach(l -> log.println("  " + l));
                }
                log.flush();
                return status;
            }
        }
        return 0;
    }

    /**
     * In a worker started by this launcher: stops this process (status 143) as soon as the launcher is gone, so
     * that killing the launcher, even with SIGKILL, leaves no worker behind. No-op in other processes.
     */
    static void exitWithLauncher(PrintStream log) {
        String pid = System.getenv(LAUNCHER_PID);
        if (isBlank(pid)) {
            return;
        }
        java.util.Optional<ProcessHandle> launcher;
        try {
            launcher = ProcessHandle.of(Long.parseLong(pid.strip()));
        } catch (NumberFormatException e) {
            return;
        }
        Thread t = new Thread(() -> {
            while (launcher.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            log.println("lovt: the launcher (pid " + pid + ") is gone; stopping this worker");
            log.flush();
            Runtime.getRuntime().halt(143);
        }, "lovt-launcher-watch");
        t.setDaemon(true);
        t.start();
    }

    private static List<String> withRunDir(List<String> command, Path runDir) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (a.equals("--run-dir")) {
                i++; // replaced below
            } else if (!a.startsWith("--run-dir=")) {
                out.add(a);
            }
        }
        out.add("--run-dir");
        out.add(runDir.toAbsolutePath().toString());
        return out;
    }

    private static List<String> tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
