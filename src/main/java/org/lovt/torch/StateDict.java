package org.lovt.torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.lovt.LovtException;

/**
 * An ordered mapping from parameter/buffer names to tensors, like PyTorch's {@code state_dict()}.
 *
 * <p>Names are the reference libraries' keys ({@code layer1.0.downsample.0.weight},
 * {@code encoder.layer.3.attention.self.query.weight}), so checkpoints written by PyTorch load by name.
 */
public final class StateDict {
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

    /** What {@link #loadInto} matched: names the module has but the dict lacks, and names only the dict has. */
    public record LoadReport(List<String> missing, List<String> unexpected, int loaded) {
        /** Whether every module entry was loaded and nothing was left over. */
        public boolean exact() {
            return missing.isEmpty() && unexpected.isEmpty();
        }
    }

    /** The parameters (then buffers) of a module with their dotted names; tensors alias the module's. */
    public static StateDict of(Module module) {
        StateDict sd = new StateDict();
        sd.putAll(module.named_parameters(true));
        sd.putAll(module.named_buffers(true));
        return sd;
    }

    /** Converts host tensors (as read from a file) into libtorch tensors, keeping their order. */
    public static StateDict fromHost(Map<String, HostTensor> host) {
        StateDict sd = new StateDict();
        for (Map.Entry<String, HostTensor> e : host.entrySet()) {
            sd.put(e.getKey(), Tensors.fromHost(e.getValue()));
        }
        return sd;
    }

    /** Copies every tensor to Java memory, keeping the order (for writing files). */
    public LinkedHashMap<String, HostTensor> toHost() {
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            out.put(e.getKey(), Tensors.toHost(e.getValue()));
        }
        return out;
    }

    private void putAll(StringTensorDict dict) {
        for (long i = 0; i < dict.size(); i++) {
            tensors.put(dict.get(i).key().getString(), dict.get(i).value());
        }
    }

    /** Adds or replaces an entry. */
    public StateDict put(String name, Tensor tensor) {
        tensors.put(name, tensor);
        return this;
    }

    /** The tensor of a name; a missing name raises an exception that lists similar names. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new LovtException("no tensor named '" + name + "' in the state dict" + suggest(name));
        }
        return t;
    }

    /** Whether a name is present. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The names in order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** Number of entries. */
    public int size() {
        return tensors.size();
    }

    /** Total number of elements over all entries. */
    public long numel() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /** A new dict with every name passed through {@code rename}; a null result drops the entry. */
    public StateDict mapNames(UnaryOperator<String> rename) {
        StateDict out = new StateDict();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String n = rename.apply(e.getKey());
            if (n != null) {
                if (out.tensors.containsKey(n)) {
                    throw new LovtException("renaming maps two entries to '" + n + "'");
                }
                out.tensors.put(n, e.getValue());
            }
        }
        return out;
    }

    /**
     * Copies this dict's tensors into the module's parameters and buffers with the same names (without recording
     * gradients). Shapes must match exactly; dtypes are converted like {@code copy_}. With {@code strict}, any
     * missing or unexpected name is an error that lists them.
     */
    public LoadReport loadInto(Module module, boolean strict) {
        StateDict target = of(module);
        List<String> missing = new ArrayList<>();
        for (String name : target.names()) {
            if (!tensors.containsKey(name)) {
                missing.add(name);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!target.contains(name)) {
                unexpected.add(name);
            }
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new LovtException("state dict does not match the module: missing " + preview(missing)
                    + ", unexpected " + preview(unexpected));
        }
        int loaded = 0;
        try (NoGradGuard guard = new NoGradGuard()) {
            for (String name : target.names()) {
                Tensor src = tensors.get(name);
                if (src == null) {
                    continue;
                }
                Tensor dst = target.tensors.get(name);
                long[] ds = Tensors.shape(dst);
                long[] ss = Tensors.shape(src);
                if (!Arrays.equals(ds, ss)) {
                    throw new LovtException("shape mismatch for '" + name + "': the module has " + Arrays.toString(ds)
                            + ", the state dict " + Arrays.toString(ss));
                }
                dst.copy_(src);
                loaded++;
            }
        }
        return new LoadReport(List.copyOf(missing), List.copyOf(unexpected), loaded);
    }

    private static String preview(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> head = names.subList(0, Math.min(10, names.size()));
        return names.size() + " " + head + (names.size() > head.size() ? " ..." : "");
    }

    private String suggest(String name) {
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        List<String> similar = new ArrayList<>();
        for (String n : tensors.keySet()) {
            if (n.endsWith("." + leaf) || n.equals(leaf)) {
                similar.add(n);
                if (similar.size() == 5) {
                    break;
                }
            }
        }
        return similar.isEmpty() ? " (" + tensors.size() + " entries)" : " (similar: " + similar + ")";
    }
}
