package org.lovt.torch.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.lovt.torch.DType;
import org.lovt.torch.HostTensor;

/**
 * Reads {@code torch.save} files ({@code .pth}, {@code .pt}, {@code pytorch_model.bin}, Lightning {@code .ckpt})
 * into plain Java objects and {@link HostTensor}s, without libtorch and without running anything the file names.
 *
 * <p>Why not libtorch's own {@code pickle_load}: it rejects the {@code collections.OrderedDict} that every
 * {@code model.state_dict()} is (see {@code spec/libtorch-java.md} §4). Why not a general unpickler: a pickle is a
 * program, and a checkpoint from the internet may call {@code os.system}. This reader accepts what
 * {@code torch.load(weights_only=True)} accepts — tensors, storages, dtypes, devices, {@code torch.Size}, and
 * dict/OrderedDict/list/tuple/set/str/bytes/int/float/bool/None — and refuses every other global with an
 * {@link UnsafeCheckpointException} naming it. {@link Options#lenient(boolean)} turns refusals of ordinary classes
 * (not of {@code os}, {@code subprocess}, {@code builtins.eval} and the like) into inert {@link PickledObject}
 * placeholders, for Lightning checkpoints whose {@code hyper_parameters} hold e.g. an omegaconf config.
 *
 * <p>Formats: the zip archive of PyTorch 1.6+ ({@code <name>/data.pkl}, {@code <name>/data/<key>},
 * {@code <name>/byteorder}), whatever its top folder is called; and the legacy stream of PyTorch 0.4–1.5 (and of
 * {@code _use_new_zipfile_serialization=False}): magic number, protocol, system info and the object pickles, then the
 * storages. The tar format of PyTorch 0.1–0.3 and TorchScript archives are recognised and refused with a message.
 *
 * <p>Tensors come out contiguous, C-ordered and little-endian. Those stored that way (nearly all) are zero-copy
 * slices of a read-only memory mapping of the file, so reading a checkpoint costs page-cache reads rather than heap;
 * the mapping lives as long as any tensor does and reflects the file, which must therefore not be modified while
 * its tensors are in use ({@link Options#copyTensors(boolean)} detaches them). Views with other strides, expanded
 * tensors and big-endian archives are copied. Every tensor is validated against its storage first.
 *
 * <pre>{@code
 * LinkedHashMap<String, HostTensor> sd = TorchCheckpoint.loadStateDict(Path.of("resnet50.pth"));
 * TorchCheckpoint ckpt = TorchCheckpoint.read(Path.of("last.ckpt"));
 * long epoch = (Long) ((Map<?, ?>) ckpt.root()).get("epoch");
 * }</pre>
 */
public final class TorchCheckpoint {

    /** The container format a file was written in. */
    public enum Format {
        /** The zip archive written by {@code torch.save} since PyTorch 1.6. */
        ZIP,
        /** The pickle stream written by PyTorch 0.4–1.5 (and by {@code _use_new_zipfile_serialization=False}). */
        LEGACY
    }

    /**
     * A {@code torch.device} found in the pickle (e.g. in optimizer state or hyper-parameters).
     *
     * @param type device type such as {@code "cpu"} or {@code "cuda"} (or {@code "cuda:1"} as written)
     * @param index device index, or null
     */
    public record Device(String type, Long index) {
        @Override
        public String toString() {
            return index == null ? type : type + ":" + index;
        }
    }

    /**
     * How to read a checkpoint. Start from {@link #defaults()} and change what you need:
     * {@code Options.defaults().lenient(true)}.
     *
     * @param lenient replace refused, non-hostile Python objects by {@link PickledObject} placeholders instead of
     *     failing (default false). Globals of {@code os}, {@code sys}, {@code subprocess}, {@code builtins.eval}
     *     and similar are refused regardless.
     * @param copyTensors copy every tensor into its own direct buffer instead of slicing the file mapping
     *     (default false)
     * @param verifyChecksums check the zip CRC-32 of every record read, the pickle and each storage (default true;
     *     the legacy format has no checksums)
     * @param maxCopyBytes the most bytes that tensors needing a copy (strided, expanded, byte-swapped) may take
     *     together; negative means automatic, four times the file size plus 64 MiB (default -1)
     */
    public record Options(boolean lenient, boolean copyTensors, boolean verifyChecksums, long maxCopyBytes) {

        /** Strict, zero-copy, checksums verified, automatic copy limit. */
        public static Options defaults() {
            return new Options(false, false, true, -1);
        }

        /** These options with {@code lenient} set. */
        public Options lenient(boolean value) {
            return new Options(value, copyTensors, verifyChecksums, maxCopyBytes);
        }

        /** These options with {@code copyTensors} set. */
        public Options copyTensors(boolean value) {
            return new Options(lenient, value, verifyChecksums, maxCopyBytes);
        }

        /** These options with {@code verifyChecksums} set. */
        public Options verifyChecksums(boolean value) {
            return new Options(lenient, copyTensors, value, maxCopyBytes);
        }

        /** These options with {@code maxCopyBytes} set. */
        public Options maxCopyBytes(long value) {
            return new Options(lenient, copyTensors, verifyChecksums, value);
        }
    }

    /** Entries, tried in this order, under which checkpoints commonly nest their state dict. */
    private static final List<String> STATE_DICT_KEYS = List.of("state_dict", "model_state_dict", "model", "module");
    private static final int MAX_NESTING = 64;
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;
    private static final byte[] LEGACY_PREFIX = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc,
        (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private final Path file;
    private final Format format;
    private final String archiveName;
    private final boolean bigEndian;
    private final Object root;
    private final List<PickledObject> placeholders;

    private TorchCheckpoint(Path file, Format format, String archiveName, boolean bigEndian, Object root,
            List<PickledObject> placeholders) {
        this.file = file;
        this.format = format;
        this.archiveName = archiveName;
        this.bigEndian = bigEndian;
        this.root = root;
        this.placeholders = Collections.unmodifiableList(placeholders);
    }

    /** Reads a checkpoint with {@link Options#defaults()}. */
    public static TorchCheckpoint read(Path file) {
        return read(file, Options.defaults());
    }

    /**
     * Reads a checkpoint: the whole pickled object tree, with every tensor materialised as a {@link HostTensor}.
     *
     * @throws UnsafeCheckpointException if the pickle names a global that is not allowed
     * @throws CheckpointFormatException if the file is not a readable {@code torch.save} checkpoint
     */
    public static TorchCheckpoint read(Path file, Options options) {
        try (FileSource src = new FileSource(file)) {
            return read(src, options);
        }
    }

    /** Reads from an open source; {@link #read(Path, Options)} opens and closes it. */
    static TorchCheckpoint read(FileSource src, Options options) {
        Path file = src.path();
        long copyLimit = options.maxCopyBytes() >= 0 ? options.maxCopyBytes()
                : saturatedAdd(saturatedMul(src.size(), 4), 64L << 20);
        if (ZipArchive.looksLikeZip(src)) {
            return readZip(src, options, copyLimit);
        }
        if (startsWith(src, LEGACY_PREFIX)) {
            return readLegacy(src, options, copyLimit);
        }
        if (src.size() >= 262 && new String(src.read(257, 5, "tar header"), StandardCharsets.ISO_8859_1)
                .equals("ustar")) {
            throw new CheckpointFormatException(file, "tar archive: the torch.save format of PyTorch 0.1-0.3"
                    + " is not supported; load and re-save it with a newer PyTorch");
        }
        throw new CheckpointFormatException(file, "not a torch.save checkpoint (neither a zip archive nor the"
                + " legacy pickle format; the file starts with " + hex(src.read(0, (int) Math.min(8,
                src.size()), "file header")) + ")");
    }

    /** Reads a checkpoint with {@link Options#defaults()} and returns its {@link #stateDict()}. */
    public static LinkedHashMap<String, HostTensor> loadStateDict(Path file) {
        return read(file).stateDict();
    }

    /** Reads a checkpoint and returns its {@link #stateDict()}. */
    public static LinkedHashMap<String, HostTensor> loadStateDict(Path file, Options options) {
        return read(file, options).stateDict();
    }

    /** The file that was read. */
    public Path file() {
        return file;
    }

    /** Which container format the file had. */
    public Format format() {
        return format;
    }

    /** The top folder of a zip checkpoint (e.g. {@code "archive"}); null for the legacy format. */
    public String archiveName() {
        return archiveName;
    }

    /** Whether the storages were big-endian (and have been byte-swapped). */
    public boolean bigEndian() {
        return bigEndian;
    }

    /**
     * The unpickled object: usually a {@link LinkedHashMap}. Python values appear as {@link Long} (or
     * {@link BigInteger}), {@link Double}, {@link Boolean}, {@link String}, {@code byte[]}, null, unmodifiable
     * {@link List} (tuple), {@link ArrayList} (list), {@link LinkedHashMap} (dict, OrderedDict; insertion order
     * kept), {@link java.util.LinkedHashSet} (set), {@link HostTensor}, {@link DType} (a torch dtype),
     * {@link Device}, and in lenient mode {@link PickledObject}. Attributes pickled onto an OrderedDict (a state
     * dict's {@code _metadata}) are not kept. The same Python object reached twice is the same Java object. An
     * allowed class or function stored as a value rather than called (rare) appears as an opaque object.
     */
    public Object root() {
        return root;
    }

    /** Every placeholder made for a refused object (lenient mode only; empty otherwise). */
    public List<PickledObject> placeholders() {
        return placeholders;
    }

    /**
     * The state dict, flattened to dotted names in file order, names exactly as stored.
     *
     * <p>It is the first of the entries {@code state_dict} (Lightning), {@code model_state_dict}, {@code model},
     * {@code module} that holds one (searched the same way, up to four levels down), or else the top-level dict if
     * all its values are tensors. Nested dicts of tensors are flattened with {@code "."}.
     *
     * @throws CheckpointFormatException if no such dict exists, naming the top-level keys
     */
    public LinkedHashMap<String, HostTensor> stateDict() {
        Map<?, ?> found = locate(root, 0);
        if (found == null) {
            String what;
            if (root instanceof Map<?, ?> m) {
                what = "a dict with keys " + m.keySet().stream().limit(20).map(String::valueOf)
                        .collect(Collectors.joining(", ", "[", m.size() > 20 ? ", ...]" : "]"));
            } else {
                what = "a " + RestrictedUnpickler.typeName(root);
            }
            String detail = "";
            if (root instanceof Map<?, ?> m) {
                for (String key : STATE_DICT_KEYS) {
                    if (m.get(key) instanceof Map<?, ?> inner) {
                        String bad = firstNonTensor(inner, "", 0, Collections.newSetFromMap(new IdentityHashMap<>()));
                        if (bad != null) {
                            detail = "; its '" + key + "' entry is not a dict of tensors (" + bad + ")";
                            break;
                        }
                    }
                }
            }
            throw new CheckpointFormatException(file, "no state dict found: the checkpoint holds " + what
                    + ", which is neither a dict of tensors nor has one under " + STATE_DICT_KEYS + detail);
        }
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        flatten("", found, out);
        return out;
    }

    private Map<?, ?> locate(Object node, int depth) {
        if (!(node instanceof Map<?, ?> map) || depth > 4) {
            return null;
        }
        // Known entries first: a flat state dict never maps a bare "model" to a dict, while a wrapper dict whose
        // leaves all happen to be tensors ({"model": {...}}) would otherwise be taken whole, with prefixed names.
        for (String key : STATE_DICT_KEYS) {
            Map<?, ?> inner = locate(map.get(key), depth + 1);
            if (inner != null) {
                return inner;
            }
        }
        return isTensorDict(map, 0, Collections.newSetFromMap(new IdentityHashMap<>())) ? map : null;
    }

    /**
     * All leaves, through nested dicts with string keys, are tensors. A nested dict reached twice (shared, or a
     * cycle) disqualifies the dict: a real state dict is a tree, and a shared sub-dict in a hostile pickle could
     * otherwise make flattening exponential.
     */
    private static boolean isTensorDict(Map<?, ?> map, int depth, Set<Object> seen) {
        if (depth > MAX_NESTING || !seen.add(map)) {
            return false;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                return false;
            }
            Object v = e.getValue();
            if (v instanceof Map<?, ?> inner) {
                if (!isTensorDict(inner, depth + 1, seen)) {
                    return false;
                }
            } else if (!(v instanceof HostTensor)) {
                return false;
            }
        }
        return true;
    }

    /** Where a would-be state dict stops being a tree of tensors, for the error message. */
    private static String firstNonTensor(Map<?, ?> map, String prefix, int depth, Set<Object> seen) {
        if (depth > MAX_NESTING || !seen.add(map)) {
            return "'" + prefix + "' is nested too deeply or shared";
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                return "key " + e.getKey() + " is not a string";
            }
            String name = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> inner) {
                String bad = firstNonTensor(inner, name + ".", depth + 1, seen);
                if (bad != null) {
                    return bad;
                }
            } else if (!(v instanceof HostTensor)) {
                return "'" + name + "' is " + (v instanceof PickledObject p ? "a placeholder for " + p.globalName()
                        : "a " + RestrictedUnpickler.typeName(v));
            }
        }
        return null;
    }

    private void flatten(String prefix, Map<?, ?> map, Map<String, HostTensor> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> inner) {
                flatten(name + ".", inner, out);
            } else if (out.put(name, (HostTensor) e.getValue()) != null) {
                throw new CheckpointFormatException(file, "state dict name '" + name + "' occurs twice after"
                        + " flattening nested dicts");
            }
        }
    }

    // ---------------------------------------------------------------- zip format

    private static TorchCheckpoint readZip(FileSource src, Options options, long copyLimit) {
        Path file = src.path();
        ZipArchive zip = ZipArchive.open(src);
        List<String> pickles = new ArrayList<>();
        for (String name : zip.entries().keySet()) {
            int slash = name.indexOf('/');
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || slash == name.length() - 9)) {
                pickles.add(name);
            }
        }
        if (pickles.isEmpty()) {
            throw new CheckpointFormatException(file, "zip archive without a <name>/data.pkl record, so not a"
                    + " torch.save checkpoint (records: " + zip.entries().keySet().stream().limit(8)
                    .collect(Collectors.joining(", ")) + (zip.entries().size() > 8 ? ", ..." : "") + ")");
        }
        if (pickles.size() > 1) {
            throw new CheckpointFormatException(file, "zip archive with several data.pkl records " + pickles);
        }
        String pklName = pickles.get(0);
        String prefix = pklName.substring(0, pklName.length() - "data.pkl".length());
        if (zip.entry(prefix + "constants.pkl") != null) {
            throw new CheckpointFormatException(file, "a TorchScript archive (torch.jit.save), not a torch.save"
                    + " checkpoint; its parameters are TorchScript module attributes, not a pickled state dict");
        }
        boolean bigEndian = false;
        ZipArchive.Entry order = zip.entry(prefix + "byteorder");
        if (order != null) {
            String bo = smallText(zip, order, options, file);
            if (bo.equals("big")) {
                bigEndian = true;
            } else if (!bo.equals("little")) {
                throw new CheckpointFormatException(file, "byteorder record says '" + bo
                        + "', expected 'little' or 'big'");
            }
        }
        ZipArchive.Entry pkl = zip.entry(pklName);
        if (pkl.size() > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(file, pklName + " is " + pkl.size() + " bytes; above 2 GiB");
        }
        byte[] pickle = zip.bytes(pkl, options.verifyChecksums());
        TensorAssembler assembler = new TensorAssembler(file, bigEndian, options.copyTensors(), copyLimit);
        Map<String, StorageRef> loaded = new HashMap<>();
        RestrictedUnpickler.StorageLoader loader = (pid, where) -> {
            if (pid.size() != 5) {
                throw new CheckpointFormatException(file, "persistent id at " + where + " has " + pid.size()
                        + " fields; a zip checkpoint's are ('storage', type, key, location, numel)");
            }
            PidFields f = pidFields(file, pid, where);
            StorageRef known = loaded.get(f.key);
            if (known != null) {
                requireSame(file, known, f, where);
                return known;
            }
            String recordName = prefix + "data/" + f.key;
            ZipArchive.Entry e = zip.entry(recordName);
            if (e == null) {
                throw new CheckpointFormatException(file, "storage '" + f.key + "' named at " + where
                        + " has no record " + recordName + " in the archive");
            }
            long nbytes = nbytes(file, f, where);
            if (e.size() != nbytes) {
                throw new CheckpointFormatException(file, "storage '" + f.key + "' should hold " + f.numel + " "
                        + f.type.dtype() + " elements (" + nbytes + " bytes) but record " + recordName + " has "
                        + e.size() + " bytes");
            }
            ByteBuffer bytes = zip.data(e, options.verifyChecksums());
            StorageRef ref = new StorageRef(f.key, f.type.dtype(), f.type.untyped(), f.numel, bytes);
            loaded.put(f.key, ref);
            return ref;
        };
        List<PickledObject> placeholders = new ArrayList<>();
        RestrictedUnpickler up = new RestrictedUnpickler(file, pklName, options.lenient(), loader, assembler,
                placeholders);
        Object root = up.load(RestrictedUnpickler.input(pickle));
        String archive = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
        return new TorchCheckpoint(file, Format.ZIP, archive, bigEndian, root, placeholders);
    }

    private static String smallText(ZipArchive zip, ZipArchive.Entry e, Options options, Path file) {
        if (e.size() > 64) {
            throw new CheckpointFormatException(file, "record " + e.name() + " is unexpectedly large");
        }
        return new String(zip.bytes(e, options.verifyChecksums()), StandardCharsets.US_ASCII).trim();
    }

    // ---------------------------------------------------------------- legacy format

    /** Storage metadata collected in the legacy reader's first pass. */
    private record LegacyStorage(StorageRef meta, List<String> viewKeys) {}

    private static TorchCheckpoint readLegacy(FileSource src, Options options, long copyLimit) {
        Path file = src.path();
        // The pickles come first and are small; a file above 2 GiB keeps its storages beyond the first mapping.
        ByteBuffer head = src.slice(0, Math.min(src.size(), Integer.MAX_VALUE), "legacy header");
        PickleInput in = new PickleInput(head);
        List<PickledObject> none = new ArrayList<>();
        Object magic = new RestrictedUnpickler(file, "legacy magic number", false, null, null, none).load(in);
        if (!(magic instanceof BigInteger b) || !b.equals(LEGACY_MAGIC)) {
            throw new CheckpointFormatException(file, "legacy torch.save magic number missing");
        }
        Object protocol = new RestrictedUnpickler(file, "legacy protocol version", false, null, null, none).load(in);
        if (!(protocol instanceof Long p) || p != LEGACY_PROTOCOL) {
            throw new CheckpointFormatException(file, "legacy torch.save protocol version " + protocol
                    + " is not supported (expected " + LEGACY_PROTOCOL + ")");
        }
        Object sysInfo = new RestrictedUnpickler(file, "legacy system info", false, null, null, none).load(in);
        if (!(sysInfo instanceof Map)) {
            throw new CheckpointFormatException(file, "legacy system info is not a dict");
        }
        long mainStart = in.position();

        // Pass 1: the object pickle names its storages, but their bytes follow the pickle and the key list, so
        // first collect each storage's dtype and size without building tensors (shapes are still validated).
        Map<String, StorageRef> metas = new LinkedHashMap<>();
        Map<String, long[]> views = new HashMap<>();
        TensorAssembler checker = new TensorAssembler(file, false, false, Long.MAX_VALUE);
        RestrictedUnpickler.StorageLoader collect = (pid, where) -> legacyStorage(file, pid, where, metas, views,
                null);
        new RestrictedUnpickler(file, "legacy object pickle", options.lenient(), collect, checker, new ArrayList<>())
                .load(in);
        Object keyList = new RestrictedUnpickler(file, "legacy storage key list", false, null, null, none).load(in);
        if (!(keyList instanceof List<?> keys)) {
            throw new CheckpointFormatException(file, "legacy storage key list is a "
                    + RestrictedUnpickler.typeName(keyList));
        }
        Map<String, ByteBuffer> data = new HashMap<>();
        long pos = in.position();
        for (Object k : keys) {
            String key = String.valueOf(k);
            StorageRef meta = metas.get(key);
            if (meta == null || data.containsKey(key)) {
                throw new CheckpointFormatException(file, "legacy storage key list names '" + key + "', which the"
                        + " object pickle " + (meta == null ? "does not use" : "uses once but the list twice"));
            }
            long numel = ZipArchive.le64(src.read(pos, 8, "size of legacy storage '" + key + "'"), 0);
            if (numel != meta.numel()) {
                throw new CheckpointFormatException(file, "legacy storage '" + key + "' is written with "
                        + numel + " elements but the pickle declares " + meta.numel());
            }
            ByteBuffer bytes = src.slice(pos + 8, meta.nbytes(), "legacy storage '" + key + "'");
            data.put(key, bytes.order(ByteOrder.LITTLE_ENDIAN));
            pos += 8 + meta.nbytes();
        }
        for (String key : metas.keySet()) {
            if (!data.containsKey(key)) {
                throw new CheckpointFormatException(file, "legacy storage '" + key + "' is used by the pickle but"
                        + " not written in the file");
            }
        }

        // Pass 2: the same pickle again, now with the storage bytes.
        PickleInput again = new PickleInput(head.duplicate().position((int) mainStart));
        Map<String, StorageRef> metas2 = new LinkedHashMap<>();
        TensorAssembler assembler = new TensorAssembler(file, false, options.copyTensors(), copyLimit);
        RestrictedUnpickler.StorageLoader load = (pid, where) -> legacyStorage(file, pid, where, metas2, views, data);
        List<PickledObject> placeholders = new ArrayList<>();
        Object root = new RestrictedUnpickler(file, "legacy object pickle", options.lenient(), load, assembler,
                placeholders).load(again);
        return new TorchCheckpoint(file, Format.LEGACY, null, false, root, placeholders);
    }

    /**
     * Resolves a legacy persistent id {@code ('storage', type, root_key, location, numel, view_metadata)}, where
     * {@code view_metadata} is None or {@code (view_key, offset, size)}: a slice of the root storage that old
     * PyTorch versions saved for storage views.
     */
    private static StorageRef legacyStorage(Path file, List<Object> pid, String where, Map<String, StorageRef> roots,
            Map<String, long[]> views, Map<String, ByteBuffer> data) {
        if (pid.size() != 6) {
            throw new CheckpointFormatException(file, "persistent id at " + where + " has " + pid.size()
                    + " fields; a legacy checkpoint's are ('storage', type, key, location, numel, view)");
        }
        PidFields f = pidFields(file, pid, where);
        StorageRef root = roots.get(f.key);
        if (root == null) {
            long nbytes = nbytes(file, f, where);
            ByteBuffer bytes = data == null ? null : data.get(f.key);
            if (data != null && (bytes == null || bytes.remaining() != nbytes)) {
                throw new CheckpointFormatException(file, "legacy storage '" + f.key + "' changed between passes");
            }
            root = new StorageRef(f.key, f.type.dtype(), f.type.untyped(), f.numel, bytes);
            roots.put(f.key, root);
        } else {
            requireSame(file, root, f, where);
        }
        Object view = pid.get(5);
        if (view == null) {
            return root;
        }
        if (!(view instanceof List<?> v) || v.size() != 3 || !(v.get(0) instanceof String viewKey)
                || !(v.get(1) instanceof Long offset) || !(v.get(2) instanceof Long size)) {
            throw new CheckpointFormatException(file, "legacy storage view at " + where
                    + " is not (key, offset, size)");
        }
        if (offset < 0 || size < 0 || offset > root.numel() || size > root.numel() - offset) {
            throw new CheckpointFormatException(file, "legacy storage view '" + viewKey + "' (offset " + offset
                    + ", size " + size + ") lies outside storage '" + f.key + "' of " + root.numel() + " elements");
        }
        long[] known = views.putIfAbsent(viewKey + "\u0000" + f.key, new long[] {offset, size});
        if (known != null && (known[0] != offset || known[1] != size)) {
            throw new CheckpointFormatException(file, "legacy storage view '" + viewKey + "' is declared twice"
                    + " with different bounds");
        }
        int es = root.dtype().byteSize();
        ByteBuffer bytes = root.bytes() == null ? null
                : root.bytes().slice((int) (offset * es), (int) (size * es)).order(ByteOrder.LITTLE_ENDIAN);
        return new StorageRef(viewKey, root.dtype(), root.untyped(), size, bytes);
    }

    // ---------------------------------------------------------------- persistent ids

    private record PidFields(RestrictedUnpickler.StorageType type, String key, long numel) {}

    private static PidFields pidFields(Path file, List<Object> pid, String where) {
        Object tag = pid.get(0);
        String typename = tag instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(tag);
        if (!typename.equals("storage")) {
            throw new CheckpointFormatException(file, "persistent id at " + where + " of kind '" + typename
                    + "'" + (typename.equals("module") ? " (a whole pickled nn.Module, not a state dict)" : "")
                    + "; only 'storage' is supported");
        }
        if (!(pid.get(1) instanceof RestrictedUnpickler.StorageType type)) {
            throw new CheckpointFormatException(file, "persistent id at " + where + " has storage type "
                    + RestrictedUnpickler.typeName(pid.get(1)) + ", not a torch storage class");
        }
        Object key = pid.get(2);
        Object location = pid.get(3);
        if (!(key instanceof String k) || !(location instanceof String) && !(location instanceof byte[])) {
            throw new CheckpointFormatException(file, "persistent id at " + where
                    + " needs a string key and location");
        }
        if (!(pid.get(4) instanceof Long numel) || numel < 0) {
            throw new CheckpointFormatException(file, "persistent id at " + where + " has storage size "
                    + pid.get(4));
        }
        return new PidFields(type, k, numel);
    }

    private static long nbytes(Path file, PidFields f, String where) {
        try {
            return Math.multiplyExact(f.numel, (long) f.type.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, "storage '" + f.key + "' at " + where + " claims "
                    + f.numel + " elements, more than any file holds");
        }
    }

    private static void requireSame(Path file, StorageRef known, PidFields f, String where) {
        if (known.dtype() != f.type.dtype() || known.numel() != f.numel || known.untyped() != f.type.untyped()) {
            throw new CheckpointFormatException(file, "storage '" + f.key + "' is declared again at " + where
                    + " as " + f.numel + " x " + f.type.dtype() + " after " + known.numel() + " x " + known.dtype());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static boolean startsWith(FileSource src, byte[] prefix) {
        if (src.size() < prefix.length) {
            return false;
        }
        byte[] head = src.read(0, prefix.length, "file header");
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.length() == 0 ? "(empty file)" : sb.toString();
    }

    private static long saturatedMul(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
