package org.lovt.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.lovt.api.DataParallelLauncher;
import org.lovt.api.Pretraining;
import org.lovt.api.PretrainingData;
import org.lovt.api.PretrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;




/**
 * {@code lovt pretrain +experiment=LoVT_100 [overrides]}: pre-trains on a prepared MIMIC-CXR data set with the
 * experiment's recipe, in a run folder that a second call with {@code --run-dir} resumes exactly;
 * {@code +baseline=byol_100} pre-trains an image-only baseline instead.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pre-train LoVT (or CLIP, ConVIRT, an ablation: +experiment=NAME), or an image-only baseline "
                + "(+baseline=chexpert_100, byol_100, simclr_100, pixelpro_100, or _30), on a prepared MIMIC-CXR data "
                + "set. Re-running with --run-dir of an interrupted run resumes it exactly.")
public final class PretrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "OVERRIDES", arity = "0..*",
            description = "Config overrides, e.g. +experiment=LoVT_100 pretrain_model.learning_rate=3e-5, or "
                    + "+baseline=byol_100 model_config.batch_size=32.")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Option(names = "--data", paramLabel = "DIR",
            description = "Prepared MIMIC-CXR folder (default: the dataset config's path, from the user config).")
    Path data;

    @CommandLine.Option(names = "--run-dir", paramLabel = "DIR",
            description = "Run folder; an existing one is resumed (default: a new folder under --runs).")
    Path runDir;

    @CommandLine.Option(names = "--runs", paramLabel = "DIR", description = "Parent of new run folders "
            + "(default: <models.base_path>/<pretrained_models_folder> from the user config, else ./runs).")
    Path runs;

    @CommandLine.Option(names = "--max-epochs", description = "Override the config's max_epochs.")
    Integer maxEpochs;

    @CommandLine.Option(names = "--max-steps", description = "Stop after this many optimizer steps (a checkpoint "
            + "is written; the run can be resumed).")
    Long maxSteps;

    @CommandLine.Option(names = "--checkpoint-every", paramLabel = "STEPS",
            description = "Also checkpoint every STEPS optimizer steps within an epoch.")
    long checkpointEvery;

    @CommandLine.Option(names = "--workers", description = "Data loader threads (default: the config's "
            + "num_dataloader_workers, at most the number of processors).")
    Integer workers;

    @CommandLine.Option(names = "--image-cache", paramLabel = "DIR",
            description = "Cache downscaled images here so full-resolution JPEGs are decoded once.")
    Path imageCache;

    @CommandLine.Option(names = "--image-cache-size", defaultValue = "448",
            description = "Shorter side of cached images (default ${DEFAULT-VALUE}).")
    int imageCacheSize;

    @CommandLine.Option(names = "--image-cache-compressed",
            description = "Deflate new cache entries: about half the disk, but about 1 ms more per image read "
                    + "(default: raw pixels, about 240 KB per image at 448, the fastest reads).")
    boolean imageCacheCompressed;

    @CommandLine.Option(names = "--image-cache-fast-jpeg",
            description = "Fill the cache from large JPEGs decoded at 1/2, 1/4 or 1/8 resolution by libjpeg before "
                    + "the exact resize: several times faster, slightly different pixels (README \"Benchmarks\").")
    boolean imageCacheFastJpeg;

    @CommandLine.Option(names = "--nproc", defaultValue = "1", paramLabel = "N",
            description = "Data-parallel training in N worker processes on this machine (like torchrun "
                    + "--nproc-per-node; c10d with Gloo): rank 0 reports here, the others log to <run>/logs/. "
                    + "batch_size is per worker.")
    int nproc;

    @CommandLine.Option(names = "--local-negatives",
            description = "With --nproc: the global contrastive loss over each worker's own batch only (default: "
                    + "over the global batch gathered from all workers, the others' samples as extra negatives).")
    boolean localNegatives;

    @CommandLine.Option(names = "--nnodes", defaultValue = "1", paramLabel = "M",
            description = "Machines in a data-parallel job: run the same command on each, with --node-rank and "
                    + "--master-addr, and a --run-dir on storage they share.")
    int nnodes;

    @CommandLine.Option(names = "--node-rank", defaultValue = "0", paramLabel = "I",
            description = "This machine's index in the job (0 hosts rank 0).")
    int nodeRank;

    @CommandLine.Option(names = "--master-addr", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address of the --node-rank 0 machine (default ${DEFAULT-VALUE}).")
    String masterAddr;

    @CommandLine.Option(names = "--master-port", defaultValue = "29500", paramLabel = "PORT",
            description = "Rendezvous port on it (default ${DEFAULT-VALUE}, as torchrun).")
    int masterPort;

    @CommandLine.Option(names = "--config-dir", paramLabel = "DIR", description = "A configs/ folder of your own.")
    Path configDir;

    @CommandLine.Option(names = "--user-config", paramLabel = "FILE",
            description = "User config (default: $LOVT_USER_CONFIG or ~/.config/lovt/user.yaml).")
    Path userConfig;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Pretraining.Builder b = Pretraining.builder().overrides(overrides).configDir(configDir).userConfig(userConfig)
                .runDir(runDir).runsRoot(runs).checkpointEverySteps(checkpointEvery).commandLine(commandLine())
                .log(new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true));
        if (data != null) {
            b.data(PretrainingData.mimicCxr(data));
        }
        if (maxEpochs != null) {
            b.maxEpochs(maxEpochs);
        }
        if (maxSteps != null) {
            b.maxSteps(maxSteps);
        }
        if (workers != null) {
            b.workers(workers);
        }
        b.localNegatives(localNegatives);
        if (imageCache != null) {
            b.imageCache(imageCache, imageCacheSize).imageCacheCompressed(imageCacheCompressed)
                    .imageCacheReducedJpegDecode(imageCacheFastJpeg);
        }
        if ((nproc > 1 || nnodes > 1) && System.getenv("WORLD_SIZE") == null) {
            if (nnodes > 1 && runDir == null) {
                spec.commandLine().getErr().println("lovt: a job over several machines needs --run-dir on storage "
                        + "they share");
                return 2;
            }
            DataParallelLauncher.Topology t = new DataParallelLauncher.Topology(nproc, nnodes, nodeRank, masterAddr,
                    masterPort);
            Path dir = b.build().createRunDir();
            return DataParallelLauncher.launch(t, Main.class.getName(), workerArguments(), dir,
                    new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true));
        }
        PretrainingResult r = b.build().run();
        out.printf("lovt: %s after %d epochs, %d optimizer steps; best %s %.4f (epoch %d)%n",
                r.stoppedEarly() ? "stopped early" : "finished", r.epochs(), r.optimizerSteps(), r.monitorMetric(),
                r.best(), r.bestEpoch() + 1);
        out.println("lovt: checkpoints in " + r.runDir().resolve("checkpoints") + ", metrics in "
                + r.runDir().resolve("metrics.csv") + (r.backbone() != null ? ", scan backbone in " + r.backbone()
                : ""));
        out.flush();
        return 0;
    }

    private List<String> commandLine() {
        List<String> cl = new ArrayList<>(List.of("lovt"));
        cl.addAll(spec.commandLine().getParseResult().originalArgs());
        return cl;
    }


    /** The command line for a worker: this one (from the first word on) without the launcher's own options. */
    private List<String> workerArguments() {
        List<String> launcherOptions = List.of("--nproc", "--nnodes", "--node-rank", "--master-addr", "--master-port");
        List<String> out = new ArrayList<>();
        List<String> args = spec.commandLine().getParseResult().originalArgs(); // "pretrain" included
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (launcherOptions.contains(name)) {
                if (!a.contains("=")) {
                    i++; // its value
                }
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** Notes and progress lines go to the command's error writer, as diagnostics (tests capture it). */
    static final class WriterOutputStream extends OutputStream {
        private final PrintWriter w;

        WriterOutputStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            w.flush();
        }
    }
}
