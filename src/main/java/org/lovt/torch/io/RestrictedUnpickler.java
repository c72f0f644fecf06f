package org.lovt.torch.io;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.UnpickleStack;
import net.razorvine.pickle.Unpickler;

import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

/**
 * A pickle reader restricted like {@code torch.load(weights_only=True)}: it builds tensors, storages and plain
 * containers, and nothing else.
 *
 * <p>Razorvine's {@link Unpickler} is not safe as it stands: it resolves every GLOBAL through a process-wide
 * constructor registry (with fallbacks that build a dict for any class name), its BUILD calls {@code __setstate__}
 * by reflection on whatever object is on the stack, and it allocates a claimed string length before reading it.
 * This subclass therefore takes over {@link #dispatch} for every opcode that names, calls or sizes something and
 * every opcode that builds a container (to keep dict order, reject unhashable keys and never let the MARK object
 * leak into data); only inert opcodes — MARK, POP, DUP, None/True/False, floats, short strings, memo GET/PUT — are
 * left to the base class. Opcodes it does not list are rejected. The global registry ({@code registerConstructor})
 * is never consulted.
 *
 * <p>Python values map to Java as: int → {@link Long} (or {@link BigInteger}), float → {@link Double}, bool →
 * {@link Boolean}, str → {@link String}, bytes/bytearray → {@code byte[]}, None → null, tuple → unmodifiable
 * {@link List}, list → {@link ArrayList}, dict and OrderedDict → {@link LinkedHashMap} (insertion order kept),
 * set → {@link LinkedHashSet}, tensor → {@link HostTensor}, dtype → {@link DType}, device →
 * {@link TorchCheckpoint.Device}.
 */
final class RestrictedUnpickler extends Unpickler {

    /** How the reader resolves persistent ids into storages. */
    interface StorageLoader {
        StorageRef load(List<Object> pid, String where);
    }

    /** The allowed globals that are callables (pushed by GLOBAL, invoked by REDUCE or NEWOBJ). */
    private enum Fn {
        ORDERED_DICT, COUNTER, REBUILD_TENSOR, REBUILD_TENSOR_V2, REBUILD_TENSOR_V3, REBUILD_PARAMETER,
        REBUILD_PARAMETER_WITH_STATE, REBUILD_FROM_TYPE_V2, PARAMETER, TENSOR, SIZE, DEVICE, CODECS_ENCODE,
        BYTEARRAY, BYTES, SET, FROZENSET
    }

    /** An allowed callable global on the stack. */
    private record Callable(String name, Fn fn) {}

    /** A legacy storage class (torch.FloatStorage ...) or torch.UntypedStorage on the stack. */
    record StorageType(String name, DType dtype, boolean untyped) {}

    private static final Map<String, Fn> CALLABLES = Map.ofEntries(
            Map.entry("collections.OrderedDict", Fn.ORDERED_DICT),
            Map.entry("collections.Counter", Fn.COUNTER),
            Map.entry("torch._utils._rebuild_tensor", Fn.REBUILD_TENSOR),
            Map.entry("torch._utils._rebuild_tensor_v2", Fn.REBUILD_TENSOR_V2),
            Map.entry("torch._utils._rebuild_tensor_v3", Fn.REBUILD_TENSOR_V3),
            Map.entry("torch._utils._rebuild_parameter", Fn.REBUILD_PARAMETER),
            Map.entry("torch._utils._rebuild_parameter_with_state", Fn.REBUILD_PARAMETER_WITH_STATE),
            Map.entry("torch._tensor._rebuild_from_type_v2", Fn.REBUILD_FROM_TYPE_V2),
            Map.entry("torch.nn.parameter.Parameter", Fn.PARAMETER),
            Map.entry("torch.Tensor", Fn.TENSOR),
            Map.entry("torch.Size", Fn.SIZE),
            Map.entry("torch.device", Fn.DEVICE),
            Map.entry("_codecs.encode", Fn.CODECS_ENCODE),
            Map.entry("builtins.bytearray", Fn.BYTEARRAY),
            Map.entry("builtins.bytes", Fn.BYTES),
            Map.entry("builtins.set", Fn.SET),
            Map.entry("builtins.frozenset", Fn.FROZENSET));

    /**
     * Modules whose globals are refused even in lenient mode. A placeholder would be harmless (nothing is ever
     * executed), but no honest checkpoint names them, so a file that does is reported rather than half-read.
     */
    private static final Set<String> HOSTILE_MODULES = Set.of("os", "posix", "nt", "sys", "subprocess", "shutil",
            "socket", "importlib", "runpy", "pty", "ctypes", "marshal", "pickle", "_pickle", "cPickle", "code",
            "codeop", "webbrowser", "commands", "posixpath", "ntpath", "_io", "io", "tempfile", "multiprocessing",
            "signal", "asyncio", "threading", "_thread", "platform", "pdb", "timeit", "sysconfig");
    private static final Set<String> HOSTILE_BUILTINS = Set.of("eval", "exec", "execfile", "compile", "__import__",
            "open", "input", "breakpoint", "globals", "locals", "vars", "setattr", "delattr", "apply", "file",
            "reload", "help", "exit", "quit");

    private static final int MAX_GLOBAL_LINE = 4096;
    private static final int MAX_KEY_NODES = 10_000;

    /** The unpickle stack, with access to razorvine's MARK object so that it can be kept out of data. */
    private static final class MarkStack extends UnpickleStack {
        private static final long serialVersionUID = 1L;

        boolean isMark(Object o) {
            return o == MARKER;
        }
    }

    private final Path file;
    private final String record;
    private final boolean lenient;
    private final StorageLoader storages;
    private final TensorAssembler assembler;
    private final List<PickledObject> placeholders;
    private PickleInput in;
    private MarkStack marks;
    private long opStart;
    private int tensorCount;

    /**
     * @param file the checkpoint, for messages
     * @param record what is being unpickled, e.g. {@code "archive/data.pkl"}, for messages
     * @param lenient replace refused (non-hostile) globals by {@link PickledObject}s instead of failing
     * @param storages resolves persistent ids; null for pickles that must not contain any
     * @param assembler builds tensors; null together with {@code storages}
     * @param placeholders receives every placeholder made in lenient mode
     */
    RestrictedUnpickler(Path file, String record, boolean lenient, StorageLoader storages, TensorAssembler assembler,
            List<PickledObject> placeholders) {
        this.file = file;
        this.record = record;
        this.lenient = lenient;
        this.storages = storages;
        this.assembler = assembler;
        this.placeholders = placeholders;
    }

    /**
     * Unpickles one pickle from {@code input}, stopping right after its STOP opcode. Every failure, whatever its
     * cause inside the pickle machinery, becomes a {@link CheckpointFormatException} naming the file, the record and
     * the byte offset of the opcode.
     */
    Object load(PickleInput input) {
        try {
            return load((InputStream) input);
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof IndexOutOfBoundsException) {
                msg = "stack underflow (" + msg + ")";
            } else if (e instanceof ClassCastException) {
                msg = "value of the wrong type for the opcode";
            }
            throw new CheckpointFormatException(file, "malformed pickle in " + record + " at byte " + opStart + ": "
                    + msg, e);
        } finally {
            if (memo != null) {
                memo.clear();
            }
        }
    }

    @Override
    public Object load(InputStream stream) throws IOException {
        if (!(stream instanceof PickleInput)) {
            throw new IllegalArgumentException("use load(PickleInput)");
        }
        in = (PickleInput) stream;
        input = stream;
        marks = new MarkStack();
        stack = marks;
        while (true) {
            opStart = in.position();
            int key = in.read();
            if (key < 0) {
                throw error("the pickle ends without a STOP opcode (truncated)");
            }
            Object value = dispatch((short) key);
            if (value != NO_RETURN_VALUE) {
                return value;
            }
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            // Inert opcodes: the base class handles them without naming, calling or sizing anything.
            case Opcodes.MARK, Opcodes.POP, Opcodes.POP_MARK, Opcodes.NONE, Opcodes.NEWTRUE, Opcodes.NEWFALSE,
                    Opcodes.FLOAT, Opcodes.BINFLOAT, Opcodes.LONG1, Opcodes.SHORT_BINSTRING,
                    Opcodes.SHORT_BINBYTES, Opcodes.SHORT_BINUNICODE, Opcodes.STRING, Opcodes.UNICODE, Opcodes.GET,
                    Opcodes.BINGET, Opcodes.LONG_BINGET, Opcodes.FRAME -> super.dispatch(key);
            case Opcodes.DUP, Opcodes.PUT, Opcodes.BINPUT, Opcodes.LONG_BINPUT, Opcodes.MEMOIZE -> {
                // Keeping the MARK object out of the memo and off DUP means GET can never push it as data.
                requireNotMark(stack.peek());
                super.dispatch(key);
            }
            case Opcodes.PROTO -> {
                int proto = readU8();
                if (proto > 5) {
                    throw error("unsupported pickle protocol " + proto);
                }
            }
            case Opcodes.STOP -> {
                Object value = stack.pop();
                requireNotMark(value);
                stack.clear();
                return value;
            }
            case Opcodes.BININT -> stack.add((long) readI32());
            case Opcodes.BININT1 -> stack.add((long) readU8());
            case Opcodes.BININT2 -> stack.add((long) (readU8() | readU8() << 8));
            case Opcodes.INT -> stack.add(parseInt(readLine()));
            case Opcodes.LONG -> {
                String s = readLine();
                stack.add(parseNumber(s.endsWith("L") ? s.substring(0, s.length() - 1) : s));
            }
            case Opcodes.LONG4 -> stack.add(decodeLong(readBytes(readLength32())));
            case Opcodes.BINSTRING -> stack.add(latin1(readBytes(readLength32())));
            case Opcodes.BINBYTES -> stack.add(readBytes(readLength32()));
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(readBytes(readLength64()));
            case Opcodes.BINUNICODE -> stack.add(utf8(readBytes(readLength32())));
            case Opcodes.BINUNICODE8 -> stack.add(utf8(readBytes(readLength64())));
            case Opcodes.EMPTY_TUPLE -> stack.add(tuple());
            case Opcodes.TUPLE1 -> stack.add(tuple(pop()));
            case Opcodes.TUPLE2 -> {
                Object b = pop();
                stack.add(tuple(pop(), b));
            }
            case Opcodes.TUPLE3 -> {
                Object c = pop();
                Object b = pop();
                stack.add(tuple(pop(), b, c));
            }
            case Opcodes.TUPLE -> stack.add(tuple(popMark().toArray()));
            case Opcodes.EMPTY_LIST -> stack.add(new ArrayList<>());
            case Opcodes.LIST -> stack.add(new ArrayList<>(popMark()));
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                putAll(map, popMark());
                stack.add(map);
            }
            case Opcodes.EMPTY_SET -> stack.add(new LinkedHashSet<>());
            case Opcodes.FROZENSET -> stack.add(Collections.unmodifiableSet(toSet(popMark())));
            case Opcodes.ADDITEMS -> {
                List<Object> items = popMark();
                Object target = stack.peek();
                if (!(target instanceof LinkedHashSet)) {
                    throw error("ADDITEMS on a " + typeName(target) + ", not a set");
                }
                @SuppressWarnings("unchecked")
                Set<Object> set = (Set<Object>) target;
                set.addAll(toSet(items));
            }
            case Opcodes.APPEND -> append(List.of(pop()));
            case Opcodes.APPENDS -> append(popMark());
            case Opcodes.SETITEM -> {
                Object value = pop();
                Object k = pop();
                setItems(Arrays.asList(k, value));
            }
            case Opcodes.SETITEMS -> setItems(popMark());
            case Opcodes.GLOBAL -> {
                String module = readGlobalLine();
                String name = readGlobalLine();
                stack.add(resolveGlobal(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String) || !(name instanceof String)) {
                    throw error("STACK_GLOBAL needs two strings");
                }
                stack.add(resolveGlobal((String) module, (String) name));
            }
            case Opcodes.REDUCE -> {
                Object args = pop();
                Object fn = pop();
                stack.add(call(fn, asTuple(args, "REDUCE arguments"), false));
            }
            case Opcodes.NEWOBJ -> {
                Object args = pop();
                Object cls = pop();
                stack.add(call(cls, asTuple(args, "NEWOBJ arguments"), true));
            }
            case Opcodes.NEWOBJ_EX -> {
                Object kwargs = pop();
                Object args = pop();
                Object cls = pop();
                if (!(kwargs instanceof Map) || !((Map<?, ?>) kwargs).isEmpty()) {
                    if (cls instanceof PickledObject) {
                        // A placeholder records keyword arguments as a trailing dict; nothing interprets them.
                        List<Object> all = new ArrayList<>(asTuple(args, "NEWOBJ_EX arguments"));
                        all.add(kwargs);
                        stack.add(call(cls, all, true));
                        return NO_RETURN_VALUE;
                    }
                    throw error("NEWOBJ_EX with keyword arguments for " + describe(cls));
                }
                stack.add(call(cls, asTuple(args, "NEWOBJ_EX arguments"), true));
            }
            case Opcodes.INST -> {
                String module = readGlobalLine();
                String name = readGlobalLine();
                List<Object> args = popMark();
                stack.add(call(resolveGlobal(module, name), args, false));
            }
            case Opcodes.OBJ -> {
                List<Object> items = popMark();
                if (items.isEmpty()) {
                    throw error("OBJ without a class");
                }
                stack.add(call(items.get(0), items.subList(1, items.size()), true));
            }
            case Opcodes.BUILD -> {
                Object state = pop();
                build(stack.peek(), state);
            }
            case Opcodes.BINPERSID -> stack.add(persistentLoad(pop()));
            case Opcodes.PERSID -> throw error("text persistent id (PERSID) '" + readLine()
                    + "'; torch.save writes only tuple persistent ids");
            case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 ->
                    throw error("copyreg extension code (EXT opcode); it would name an arbitrary global");
            case Opcodes.NEXT_BUFFER, Opcodes.READONLY_BUFFER ->
                    throw error("out-of-band buffer (protocol 5) is not part of torch.save files");
            default -> throw error("invalid or unsupported pickle opcode 0x" + Integer.toHexString(key));
        }
        return NO_RETURN_VALUE;
    }

    // ---------------------------------------------------------------- globals and calls

    private Object resolveGlobal(String module, String name) {
        // Python 2 pickles (and protocol-2 pickles written by Python 3 for Python 2 readers) use these names.
        String mod = switch (module) {
            case "__builtin__" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> module;
        };
        String full = mod + "." + name;
        Fn fn = CALLABLES.get(full);
        if (fn != null) {
            return new Callable(full, fn);
        }
        if (mod.equals("torch") || mod.equals("torch.cuda")) {
            // torch.load maps every "...Storage" name to its dtype whatever the module (a file saved from GPU
            // tensors names torch.cuda.FloatStorage); the bytes are read from the archive either way.
            DType st = DType.fromStorageClass(name);
            if (st != null) {
                return new StorageType(full, st, false);
            }
            if (name.equals("UntypedStorage")) {
                return new StorageType(full, DType.U8, true);
            }
        }
        if ((mod.equals("torch") || mod.equals("torch.cuda")) && name.endsWith("Storage")) {
            throw error("storage class " + full + " holds a dtype this reader does not support");
        }
        if (mod.equals("torch.storage") && name.equals("UntypedStorage")) {
            return new StorageType(full, DType.U8, true);
        }
        if (mod.equals("torch")) {
            // A dtype object (torch.float16) is a value, e.g. in hyper-parameters or for _rebuild_tensor_v3.
            DType dt = DType.fromTorchName(name);
            if (dt != null && !name.contains(".")) {
                return dt;
            }
        }
        String written = module + "." + name;
        if (mod.equals("torch._utils") && name.startsWith("_rebuild_")) {
            // Sparse, quantized, nested, meta and subclass tensors: refused in lenient mode too, because a
            // placeholder where a tensor belongs would silently drop it from the state dict.
            throw error("unsupported kind of tensor (" + written + "); only dense tensors with storages are"
                    + " supported");
        }
        boolean hostile = HOSTILE_MODULES.contains(rootModule(mod))
                || mod.equals("builtins") && HOSTILE_BUILTINS.contains(name);
        if (lenient && !hostile) {
            PickledObject ref = new PickledObject(module, name, null);
            placeholders.add(ref);
            return ref;
        }
        String why = hostile
                ? "it can run code or touch the system, and no genuine torch.save checkpoint contains it: the file"
                        + " is probably malicious"
                : "only tensors, storages and plain containers are built (as torch.load(weights_only=True) does)."
                        + " If the file is trusted and you only need its tensors, read it with"
                        + " TorchCheckpoint.Options.lenient(true), which keeps such objects as inert placeholders";
        throw new UnsafeCheckpointException(file, written, "refusing to unpickle global '" + written + "' in "
                + record + " at byte " + opStart + ": " + why);
    }

    private static String rootModule(String module) {
        int dot = module.indexOf('.');
        return dot < 0 ? module : module.substring(0, dot);
    }

    private Object call(Object target, List<Object> args, boolean newobj) {
        if (target instanceof PickledObject p) {
            if (!p.isReference()) {
                throw error("call of an object built from " + p.globalName() + "; only globals can be called");
            }
            PickledObject obj = new PickledObject(p.module(), p.name(), args);
            placeholders.add(obj);
            return obj;
        }
        if (!(target instanceof Callable c)) {
            throw error((newobj ? "NEWOBJ" : "REDUCE") + " on " + describe(target) + ", which is not callable");
        }
        switch (c.fn()) {
            case ORDERED_DICT, COUNTER -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (args.size() > 1) {
                    throw error(c.name() + " takes at most one argument");
                }
                if (args.size() == 1 && !newobj) {
                    Object src = args.get(0);
                    if (src instanceof Map<?, ?> m) {
                        for (Map.Entry<?, ?> e : m.entrySet()) {
                            map.put(e.getKey(), e.getValue());
                        }
                    } else if (src instanceof List<?> pairs) {
                        for (Object pair : pairs) {
                            List<Object> kv = asTuple(pair, c.name() + " item");
                            if (kv.size() != 2) {
                                throw error(c.name() + " item is not a (key, value) pair");
                            }
                            setItem(map, kv.get(0), kv.get(1));
                        }
                    } else {
                        throw error(c.name() + " argument is a " + typeName(src));
                    }
                }
                return map;
            }
            case REBUILD_TENSOR -> {
                requireArgs(c, args, 4, 4);
                return tensor(c, storage(args.get(0)), null, args);
            }
            case REBUILD_TENSOR_V2 -> {
                requireArgs(c, args, 6, 7);
                return tensor(c, storage(args.get(0)), null, args);
            }
            case REBUILD_TENSOR_V3 -> {
                requireArgs(c, args, 7, 8);
                if (!(args.get(6) instanceof DType dt)) {
                    throw error(c.name() + " needs a dtype as its 7th argument, got " + typeName(args.get(6)));
                }
                return tensor(c, storage(args.get(0)), dt, args);
            }
            case REBUILD_PARAMETER -> {
                requireArgs(c, args, 3, 3);
                return requireTensor(c, args.get(0));
            }
            case REBUILD_PARAMETER_WITH_STATE -> {
                // The state holds Python attributes set on the Parameter; they do not change its values.
                requireArgs(c, args, 4, 4);
                return requireTensor(c, args.get(0));
            }
            case PARAMETER -> {
                requireArgs(c, args, 0, 2);
                return args.isEmpty() ? pending() : requireTensor(c, args.get(0));
            }
            case REBUILD_FROM_TYPE_V2 -> {
                // (func, new_type, args, state): tensor subclasses and tensors carrying Python attributes. Only the
                // plain Tensor and Parameter types are accepted; the attributes in `state` are dropped.
                requireArgs(c, args, 4, 4);
                Object type = args.get(1);
                if (!(type instanceof Callable t) || (t.fn() != Fn.TENSOR && t.fn() != Fn.PARAMETER)) {
                    throw error(c.name() + " for type " + describe(type) + "; only torch.Tensor and"
                            + " torch.nn.Parameter are supported");
                }
                Object inner = args.get(0);
                if (!(inner instanceof Callable f) || f.fn() == Fn.REBUILD_FROM_TYPE_V2) {
                    throw error(c.name() + " with rebuild function " + describe(inner));
                }
                return requireTensor(c, call(f, asTuple(args.get(2), c.name() + " arguments"), false));
            }
            case TENSOR -> throw error("direct construction of torch.Tensor is not supported");
            case SIZE -> {
                requireArgs(c, args, 0, 1);
                return args.isEmpty() ? tuple() : tuple(asTuple(args.get(0), "torch.Size argument").toArray());
            }
            case DEVICE -> {
                requireArgs(c, args, 1, 2);
                if (!(args.get(0) instanceof String type)) {
                    throw error("torch.device type is a " + typeName(args.get(0)));
                }
                Long index = null;
                if (args.size() == 2 && args.get(1) != null) {
                    index = toLong(args.get(1), "torch.device index");
                }
                return new TorchCheckpoint.Device(type, index);
            }
            case CODECS_ENCODE -> {
                // Protocol 2 pickles bytes as _codecs.encode(str, 'latin1'): each char is one byte.
                requireArgs(c, args, 1, 2);
                if (!(args.get(0) instanceof String s)) {
                    throw error("_codecs.encode of a " + typeName(args.get(0)));
                }
                String enc = args.size() == 2 ? String.valueOf(args.get(1)) : "utf-8";
                return encode(s, enc);
            }
            case BYTES, BYTEARRAY -> {
                requireArgs(c, args, 0, 2);
                if (args.isEmpty()) {
                    return new byte[0];
                }
                Object a = args.get(0);
                if (a instanceof byte[] b) {
                    return b.clone();
                }
                if (a instanceof String s && args.size() == 2) {
                    return encode(s, String.valueOf(args.get(1)));
                }
                if (a instanceof List<?> ints && args.size() == 1) {
                    byte[] out = new byte[ints.size()];
                    for (int i = 0; i < out.length; i++) {
                        long v = toLong(ints.get(i), c.name() + " item");
                        if (v < 0 || v > 255) {
                            throw error(c.name() + " item " + v + " is not a byte");
                        }
                        out[i] = (byte) v;
                    }
                    return out;
                }
                throw error(c.name() + " of a " + typeName(a));
            }
            case SET, FROZENSET -> {
                requireArgs(c, args, 0, 1);
                Set<Object> set = new LinkedHashSet<>();
                if (args.size() == 1) {
                    Object src = args.get(0);
                    if (!(src instanceof List<?> items)) {
                        throw error(c.name() + " of a " + typeName(src));
                    }
                    set.addAll(toSet(new ArrayList<>(items)));
                }
                return c.fn() == Fn.FROZENSET ? Collections.unmodifiableSet(set) : set;
            }
            default -> throw new IllegalStateException(c.fn().toString());
        }
    }

    private HostTensor tensor(Callable c, StorageRef storage, DType dtype, List<Object> args) {
        long offset = toLong(args.get(1), c.name() + " storage offset");
        long[] size = longs(args.get(2), c.name() + " size");
        long[] stride = longs(args.get(3), c.name() + " stride");
        if (args.size() > 4 && !(args.get(4) instanceof Boolean)) {
            throw error(c.name() + " requires_grad is a " + typeName(args.get(4)));
        }
        DType dt = dtype != null ? dtype : storage.dtype();
        if (dtype != null && !storage.untyped() && dtype != storage.dtype()) {
            throw error(c.name() + " reads " + storage.dtype() + " storage '" + storage.key() + "' as " + dtype);
        }
        String what = "tensor #" + tensorCount++ + " (" + record + " byte " + opStart + ")";
        HostTensor t = assembler.build(what, storage, dt, offset, size, stride);
        return t != null ? t : pending();
    }

    /** The legacy reader's first pass has no storage bytes yet; tensors are stood in for by one shared marker. */
    private static final HostTensor PENDING =
            new HostTensor(DType.U8, new long[] {0}, ByteBuffer.allocateDirect(0));

    private static HostTensor pending() {
        return PENDING;
    }

    private StorageRef storage(Object o) {
        if (!(o instanceof StorageRef s)) {
            throw error("tensor rebuilt from a " + typeName(o) + " instead of a storage");
        }
        return s;
    }

    private HostTensor requireTensor(Callable c, Object o) {
        if (!(o instanceof HostTensor t)) {
            throw error(c.name() + " needs a tensor, got " + typeName(o));
        }
        return t;
    }

    private void requireArgs(Callable c, List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw error(c.name() + " called with " + args.size() + " arguments");
        }
    }

    private void build(Object target, Object state) {
        if (target instanceof PickledObject p && !p.isReference()) {
            p.setState(state);
        } else if (target instanceof Map || target instanceof HostTensor) {
            // OrderedDict state is its __dict__ (a state_dict's `_metadata` with module versions); tensor state is
            // Python attributes. Neither changes the tensors, and Java maps have no attributes to hold them.
            if (state != null && !(state instanceof Map) && !(state instanceof List)) {
                throw error("BUILD state for " + typeName(target) + " is a " + typeName(state));
            }
        } else {
            throw error("BUILD (__setstate__) on " + describe(target) + " is not allowed");
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (storages == null) {
            throw error("persistent id in a pickle that must not reference storages");
        }
        if (!(pid instanceof List<?>)) {
            throw error("persistent id is a " + typeName(pid) + ", not a tuple");
        }
        @SuppressWarnings("unchecked")
        List<Object> tuple = (List<Object>) pid;
        return storages.load(tuple, record + " byte " + opStart);
    }

    // ---------------------------------------------------------------- containers

    private void append(List<Object> items) {
        Object target = stack.peek();
        if (target instanceof PickledObject p && !p.isReference()) {
            items.forEach(p::append);
        } else if (target instanceof ArrayList) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) target;
            list.addAll(items);
        } else {
            throw error("APPEND on " + describe(target) + ", not a list");
        }
    }

    private void setItems(List<Object> kv) {
        Object target = stack.peek();
        if (target instanceof PickledObject p && !p.isReference()) {
            if (kv.size() % 2 != 0) {
                throw error("SETITEMS with an odd number of items");
            }
            for (int i = 0; i < kv.size(); i += 2) {
                requireHashable(kv.get(i));
                p.put(kv.get(i), kv.get(i + 1));
            }
        } else if (target instanceof LinkedHashMap) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) target;
            putAll(map, kv);
        } else {
            throw error("SETITEM on " + describe(target) + ", not a dict");
        }
    }

    private void putAll(Map<Object, Object> map, List<Object> kv) {
        if (kv.size() % 2 != 0) {
            throw error("dict items with an odd number of values");
        }
        for (int i = 0; i < kv.size(); i += 2) {
            setItem(map, kv.get(i), kv.get(i + 1));
        }
    }

    private void setItem(Map<Object, Object> map, Object key, Object value) {
        requireHashable(key);
        map.put(key, value);
    }

    private Set<Object> toSet(List<Object> items) {
        Set<Object> set = new LinkedHashSet<>();
        for (Object o : items) {
            requireHashable(o);
            set.add(o);
        }
        return set;
    }

    /**
     * Python dict keys and set items are immutable values. Enforcing that here keeps Java's recursive
     * {@code hashCode} away from mutable (and possibly self-containing) lists and maps.
     */
    private void requireHashable(Object key) {
        requireHashable(key, new int[] {MAX_KEY_NODES});
    }

    /**
     * The budget counts nodes with repetition, i.e. the work Java's recursive {@code hashCode} and {@code equals}
     * will do on this key: a tuple that contains one tuple twice, nested, is small as a pickle but exponential to
     * hash.
     */
    private void requireHashable(Object key, int[] budget) {
        if (--budget[0] < 0) {
            throw error("dict key or set item is a tuple too large to hash");
        }
        // Placeholders hash by identity and the records by their strings, so neither can recurse.
        if (key == null || key instanceof String || key instanceof Long || key instanceof Integer
                || key instanceof BigInteger || key instanceof Double || key instanceof Boolean
                || key instanceof DType || key instanceof TorchCheckpoint.Device || key instanceof PickledObject
                || key instanceof Callable || key instanceof StorageType) {
            return;
        }
        if (key instanceof byte[]) {
            throw error("bytes as a dict key are not supported");
        }
        if (key instanceof Tuple t) {
            for (Object o : t) {
                requireHashable(o, budget);
            }
            return;
        }
        throw error("unhashable dict key or set item of type " + typeName(key));
    }

    /** A Python tuple: an unmodifiable list, distinguishable from a Python list, with value equality. */
    static final class Tuple extends java.util.AbstractList<Object> implements java.util.RandomAccess {
        private final Object[] items;

        Tuple(Object[] items) {
            this.items = items;
        }

        @Override
        public Object get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    private static List<Object> tuple(Object... items) {
        return new Tuple(items.clone());
    }

    private List<Object> asTuple(Object o, String what) {
        if (o instanceof Tuple t) {
            return t;
        }
        throw error(what + " must be a tuple, got " + typeName(o));
    }

    private Object pop() {
        Object o = stack.pop();
        requireNotMark(o);
        return o;
    }

    private List<Object> popMark() {
        return stack.pop_all_since_marker();
    }

    private void requireNotMark(Object o) {
        if (marks.isMark(o)) {
            throw error("misplaced MARK");
        }
    }

    // ---------------------------------------------------------------- scalars and strings

    private int readU8() {
        int b = in.read();
        if (b < 0) {
            throw error("the pickle is truncated inside an opcode");
        }
        return b;
    }

    private int readI32() {
        return readU8() | readU8() << 8 | readU8() << 16 | readU8() << 24;
    }

    private int readLength32() {
        long n = readI32() & 0xFFFFFFFFL;
        return checkLength(n);
    }

    private int readLength64() {
        long n = 0;
        for (int i = 0; i < 8; i++) {
            n |= (long) readU8() << (8 * i);
        }
        return checkLength(n);
    }

    /** A claimed length is checked against the bytes actually left before anything is allocated. */
    private int checkLength(long n) {
        if (n < 0 || n > in.remaining()) {
            throw error("a length of " + Long.toUnsignedString(n) + " bytes, but only " + in.remaining()
                    + " bytes of pickle are left (truncated or corrupt)");
        }
        return (int) n;
    }

    private byte[] readBytes(int n) {
        byte[] b = new byte[n];
        int read = in.read(b, 0, n);
        if (n > 0 && read != n) {
            throw error("the pickle is truncated inside a string");
        }
        return b;
    }

    private String readLine() {
        return readGlobalLine();
    }

    /** Text arguments (names, protocol-0 numbers) are short; the bound keeps BigInteger parsing cheap. */
    private String readGlobalLine() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = readU8();
            if (c == '\n') {
                return sb.toString();
            }
            if (sb.length() >= MAX_GLOBAL_LINE) {
                throw error("text argument longer than " + MAX_GLOBAL_LINE + " characters");
            }
            sb.append((char) c);
        }
    }

    private Object parseInt(String s) {
        // Protocol 0 writes booleans as INT 01 / 00.
        if (s.equals("01")) {
            return Boolean.TRUE;
        }
        if (s.equals("00")) {
            return Boolean.FALSE;
        }
        return parseNumber(s);
    }

    private Object parseNumber(String s) {
        try {
            BigInteger v = new BigInteger(s.trim());
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw error("INT opcode with text '" + abbreviate(s) + "'");
        }
    }

    private static Object decodeLong(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[le.length - 1 - i] = le[i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error("string is not valid UTF-8");
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private byte[] encode(String s, String encoding) {
        String enc = encoding.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (enc.equals("latin1") || enc.equals("latin-1") || enc.equals("iso-8859-1")) {
            byte[] out = new byte[s.length()];
            for (int i = 0; i < out.length; i++) {
                char ch = s.charAt(i);
                if (ch > 255) {
                    throw error("latin-1 bytes string contains character U+" + Integer.toHexString(ch));
                }
                out[i] = (byte) ch;
            }
            return out;
        }
        if (enc.equals("utf-8") || enc.equals("utf8")) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw error("bytes encoded as '" + abbreviate(encoding) + "'");
    }

    private long toLong(Object o, String what) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Integer i) {
            return i;
        }
        throw error(what + " is " + (o instanceof BigInteger ? "out of range" : "a " + typeName(o)));
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof Tuple) && !(o instanceof ArrayList)) {
            throw error(what + " is a " + typeName(o) + ", not a tuple");
        }
        List<?> l = (List<?>) o;
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toLong(l.get(i), what);
        }
        return out;
    }

    // ---------------------------------------------------------------- messages

    private String describe(Object o) {
        if (o instanceof Callable c) {
            return c.name();
        }
        if (o instanceof StorageType s) {
            return s.name();
        }
        if (o instanceof PickledObject p) {
            return p.globalName();
        }
        return "a " + typeName(o);
    }

    static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Tuple) {
            return "tuple";
        }
        if (o instanceof ArrayList) {
            return "list";
        }
        if (o instanceof Map) {
            return "dict";
        }
        if (o instanceof Set) {
            return "set";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof Long || o instanceof BigInteger) {
            return "int";
        }
        if (o instanceof Double) {
            return "float";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof byte[]) {
            return "bytes";
        }
        if (o instanceof HostTensor) {
            return "tensor";
        }
        if (o instanceof StorageRef) {
            return "storage";
        }
        if (o instanceof DType) {
            return "dtype";
        }
        if (o instanceof Callable c) {
            return c.name();
        }
        if (o instanceof StorageType s) {
            return s.name();
        }
        if (o instanceof PickledObject p) {
            return p.globalName();
        }
        return o.getClass().getSimpleName();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private CheckpointFormatException error(String problem) {
        return new CheckpointFormatException(file, "malformed pickle in " + record + " at byte " + opStart + ": "
                + problem);
    }

    /** Makes sure nothing calls the base class's unrestricted entry point with raw bytes. */
    @Override
    public Object loads(byte[] data) {
        throw new UnsupportedOperationException("use load(PickleInput)");
    }

    static PickleInput input(byte[] data) {
        return new PickleInput(ByteBuffer.wrap(data));
    }
}
