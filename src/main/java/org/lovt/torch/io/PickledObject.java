package org.lovt.torch.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-in for a Python object that the restricted unpickler refused to construct, kept only when the caller asked
 * for {@link TorchCheckpoint.Options#lenient(boolean) lenient} reading.
 *
 * <p>Real Lightning checkpoints pickle arbitrary objects into {@code hyper_parameters} (an omegaconf
 * {@code DictConfig}, an {@code argparse.Namespace}, a {@code pathlib.PosixPath}). Building those would mean running
 * code named by the file; refusing them outright would make the tensors unreachable. A placeholder records what the
 * pickle said — the global's name, the arguments it would have been called with, the state it would have been given
 * and any items appended to it — as inert data. Nothing named here was looked up or executed.
 */
final class PickledObject {
    private final String module;
    private final String name;
    private final List<Object> args;
    private Object state;
    private final List<Object> listItems = new ArrayList<>();
    private final Map<Object, Object> dictItems = new LinkedHashMap<>();

    PickledObject(String module, String name, List<Object> args) {
        this.module = module;
        this.name = name;
        this.args = args == null ? null : Collections.unmodifiableList(new ArrayList<>(args));
    }

    /** The Python module of the refused global, e.g. {@code "omegaconf.dictconfig"}. */
    public String module() {
        return module;
    }

    /** The attribute name in {@link #module()}, e.g. {@code "DictConfig"}. */
    public String name() {
        return name;
    }

    /** {@code module.name}. */
    public String globalName() {
        return module + "." + name;
    }

    /**
     * Whether this stands for the global itself (a class or function stored as a value) rather than for an object
     * made by calling it.
     */
    public boolean isReference() {
        return args == null;
    }

    /** Arguments of the call that would have built the object; null for a {@linkplain #isReference() reference}. */
    public List<Object> args() {
        return args;
    }

    /** The state that {@code __setstate__} would have received (often a dict of attributes), or null. */
    public Object state() {
        return state;
    }

    /** Items appended to the object (pickled list subclasses); empty when none. */
    public List<Object> listItems() {
        return Collections.unmodifiableList(listItems);
    }

    /** Items set on the object (pickled dict subclasses); empty when none. */
    public Map<Object, Object> dictItems() {
        return Collections.unmodifiableMap(dictItems);
    }

    void setState(Object state) {
        this.state = state;
    }

    void append(Object item) {
        listItems.add(item);
    }

    void put(Object key, Object value) {
        dictItems.put(key, value);
    }

    @Override
    public String toString() {
        // Deliberately does not print args or state: they can be large or cyclic.
        return isReference() ? "PickledObject[" + globalName() + "]"
                : "PickledObject[" + globalName() + "(" + args.size() + " args)]";
    }
}
