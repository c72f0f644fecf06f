package org.lovt.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.pytorch.CompilationUnit;
import org.bytedeco.pytorch.Function;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TupleElements;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;

/**
 * Runs the TorchScript sources under {@code native/} (packaged as class-path resources): each file is compiled once
 * by libtorch's own TorchScript compiler, and each call runs a whole function graph natively, with autograd, in
 * one JNI crossing. The Java modules that own the parameters pass them in as arguments. The graph executor's
 * profiling optimisation is switched off during these calls (and only then) so that results are bit-for-bit
 * reproducible across processes.
 */
public final class TorchScript {
    /** The LoVT functional graphs. */
    public static final String LOVT = "native/lovt.torchscript";

    private static final Map<String, CompilationUnit> UNITS = new ConcurrentHashMap<>();
    private static final Map<String, Function> FUNCTIONS = new ConcurrentHashMap<>();

    private TorchScript() {}

    private static CompilationUnit unit(String resource) {
        return UNITS.computeIfAbsent(resource, r -> {
            Natives.load();
            String source;
            try (InputStream in = TorchScript.class.getClassLoader().getResourceAsStream(r)) {
                if (in == null) {
                    throw new LovtException("TorchScript source " + r + " is not on the class path");
                }
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LovtException("cannot read TorchScript source " + r + ": " + e.getMessage(), e);
            }
            CompilationUnit cu = torch.compile(source);
            cu.retainReference();           // lives for the whole process, never in a step scope
            return cu;
        });
    }

    private static Function function(String resource, String name) {
        return FUNCTIONS.computeIfAbsent(resource + "#" + name, k -> {
            Function f = unit(resource).find_function(new QualifiedName(name));
            if (f == null || f.isNull()) {
                throw new LovtException("no function '" + name + "' in " + resource);
            }
            f.retainReference();
            return f;
        });
    }

    /** Converts Java arguments: Tensor, null (None), Integer/Long (int), Double/Float (float), Boolean (bool). */
    private static IValue value(Object arg) {
        if (arg == null) {
            return new IValue();
        }
        if (arg instanceof Tensor t) {
            return new IValue(t);
        }
        if (arg instanceof Integer || arg instanceof Long) {
            return new IValue(((Number) arg).longValue());
        }
        if (arg instanceof Double || arg instanceof Float) {
            return new IValue(((Number) arg).doubleValue());
        }
        if (arg instanceof Boolean b) {
            return new IValue(b);
        }
        throw new IllegalArgumentException("unsupported TorchScript argument type " + arg.getClass());
    }

    /** Calls a function that returns a tuple of tensors (or a single tensor, returned as an array of one). */
    public static Tensor[] call(String resource, String name, Object... args) {
        IValue[] values = new IValue[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = value(args[i]);
        }
        IValueVector in = new IValueVector(values);
        Function f = function(resource, name);
        // The graph executor's profiling optimisation switches a function to a re-optimised graph after its first
        // calls, which changes results in the last float bits: a resumed run (new process) then drifts away from an
        // uninterrupted one. Plain execution is deterministic and measured no slower for these graphs (benchmarks
        // GraphsVsJava, optimize=false). The flag is libtorch's thread-local setting, so it is switched off for our
        // calls only and restored: other TorchScript in the process keeps its own setting.
        boolean optimize = torch.getGraphExecutorOptimize();
        torch.setGraphExecutorOptimize(false);
        IValue out;
        try {
            out = f.apply(in);
        } finally {
            torch.setGraphExecutorOptimize(optimize);
        }
        if (out.isTensor()) {
            return new Tensor[] {out.toTensor()};
        }
        TupleElements el = out.toTuple().elements();
        Tensor[] result = new Tensor[(int) el.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = el.get(i).toTensor();
        }
        return result;
    }

    /** Calls one of the LoVT graphs in {@value #LOVT}. */
    public static Tensor[] lovt(String name, Object... args) {
        return call(LOVT, name, args);
    }
}
