package org.lovt.bench.peers;

import java.util.concurrent.TimeUnit;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DJL's ResNet-50 (model zoo {@code ResNetV1}, 50 layers, 1000 outputs) on its PyTorch engine: a training step (batch
 * 8, 224², fp32, loss = mean of squared outputs, SGD lr 0.01) and an inference forward, the same work as the
 * project's {@code ResNetSteps}. DJL's ResNetV1 differs from torchvision's: the stride of a down-sampling bottleneck is
 * on its first 1×1 convolution (torchvision: on the 3×3), and some convolutions have biases; its FLOPs are counted
 * by {@code org.lovt.bench.Flops.djlResNetV1Forward} for a per-FLOP ratio.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 15)
public class DjlResNet50 {
    public static final int BATCH = 8;
    public static final int IMAGE = 224;

    private Model model;
    private Trainer trainer;
    private NDManager manager;
    private float[] input;

    @Setup
    public void setup() {
        Block block = ResNetV1.builder().setImageShape(new Shape(3, IMAGE, IMAGE)).setNumLayers(50).setOutSize(1000)
                .build();
        model = Model.newInstance("resnet50", Device.cpu(), "PyTorch");
        model.setBlock(block);
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(BATCH, 3, IMAGE, IMAGE));
        manager = trainer.getManager();
        java.util.Random r = new java.util.Random(0);
        input = new float[BATCH * 3 * IMAGE * IMAGE];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
    }

    @TearDown
    public void tearDown() {
        trainer.close();
        model.close();
    }

    @Benchmark
    public float resnet50TrainStep() {
        float v;
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(input, new Shape(BATCH, 3, IMAGE, IMAGE));
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray y = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray loss = y.square().mean();
                gc.backward(loss);
                v = loss.getFloat();
            }
            trainer.step();
        }
        return v;
    }

    @Benchmark
    public float resnet50Inference() {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(input, new Shape(BATCH, 3, IMAGE, IMAGE));
            return trainer.evaluate(new NDList(x)).singletonOrThrow().sum().getFloat();
        }
    }
}
