package org.lovt.torch.io;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lovt.torch.DType;

/**
 * TEST HELPER ONLY: writes pickles the way CPython's protocol-2 pickler does inside {@code torch.save}, so that the
 * tests can build checkpoints without Python.
 *
 * <p>It mirrors the pickler's choices byte for byte — memoization (BINPUT after every string, tuple, global, dict
 * and REDUCE result; BINGET when the same object is saved again), TUPLE1/2/3 for short tuples and MARK...TUPLE
 * otherwise, MARK...SETITEMS batches (SETITEM for a single item), the smallest BININT form — and
 * {@link TorchCheckpointTest} checks that by rebuilding a fixture's {@code data.pkl} exactly. Strings are memoized
 * by value (CPython memoizes by identity; checkpoints reuse the same interned objects, so it comes to the same),
 * everything else by Java identity.
 */
final class PickleWriter {

    /** A module-level Python name, saved with GLOBAL. */
    record Global(String module, String name) {}

    /** A Python tuple. */
    record Tup(List<Object> items) {
        static Tup of(Object... items) {
            return new Tup(Arrays.asList(items));
        }
    }

    /** {@code collections.OrderedDict}, optionally with instance state (a state dict's {@code _metadata}). */
    record OrderedDict(Map<Object, Object> items, Object state) {
        OrderedDict(Map<Object, Object> items) {
            this(items, null);
        }
    }

    /** {@code fn(*args)} saved with REDUCE, then BUILD with {@code state} if not null. */
    record Reduce(Object fn, Tup args, Object state) {
        Reduce(Object fn, Tup args) {
            this(fn, args, null);
        }
    }

    /** A storage: bytes of one {@code data/<key>} record, as {@code torch.save} names it in persistent ids. */
    record Storage(String key, Global type, long numel, byte[] data) {
        static Storage of(String key, DType dtype, byte[] data) {
            return new Storage(key, new Global("torch", dtype.storageClass()), data.length / dtype.byteSize(),
                    data);
        }
    }

    /**
     * A legacy storage view: persistent id {@code ('storage', type, root_key, location, root_numel,
     * (view_key, offset, size))}, as PyTorch before 1.6 saved views of storages.
     */
    record StorageView(Storage root, String viewKey, long offset, long size) {}

    /**
     * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())};
     * {@code storage} is a {@link Storage} or {@link StorageView}.
     */
    record Tensor(Object storage, long offset, long[] size, long[] stride, boolean requiresGrad) {
        static Tensor of(Object storage, long offset, long[] size, long[] stride) {
            return new Tensor(storage, offset, size, stride, false);
        }

        static Tensor contiguous(Object s, long offset, long... size) {
            long[] stride = new long[size.length];
            long acc = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                stride[d] = acc;
                acc *= size[d];
            }
            return new Tensor(s, offset, size, stride, false);
        }
    }

    /** {@code cls.__new__(cls, *args)} saved with NEWOBJ (copyreg's protocol-2 path), then BUILD with state. */
    record NewObj(Global cls, Tup args, Object state) {}

    /** Opcodes written verbatim (for hostile and malformed pickles). */
    record Raw(byte[] bytes) {}

    /** How tensors name their storages: the zip format's 5-tuple, or the legacy 6-tuple with a view field. */
    enum PidStyle { ZIP, LEGACY }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Object, Integer> memoById = new IdentityHashMap<>();
    private final Map<Object, Integer> memoByValue = new HashMap<>();
    private final PidStyle pidStyle;
    /** Storages in order of first use, as torch.save writes their records. */
    final Map<String, Storage> storages = new LinkedHashMap<>();
    private int memoSize;

    PickleWriter(PidStyle pidStyle) {
        this.pidStyle = pidStyle;
    }

    /** A complete protocol-2 pickle of {@code obj}. */
    static byte[] pickle(Object obj) {
        return new PickleWriter(PidStyle.ZIP).dump(obj);
    }

    byte[] dump(Object obj) {
        out.write(0x80);
        out.write(2);
        save(obj);
        out.write('.');
        return out.toByteArray();
    }

    void save(Object o) {
        if (o == null) {
            out.write('N');
        } else if (o instanceof Boolean b) {
            out.write(b ? 0x88 : 0x89);
        } else if (o instanceof Integer || o instanceof Long) {
            saveInt(((Number) o).longValue());
        } else if (o instanceof BigInteger b) {
            saveLong1(b);
        } else if (o instanceof Double d) {
            out.write('G');
            byte[] b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(d).array();
            out.writeBytes(b);
        } else if (o instanceof String s) {
            if (getByValue(s)) {
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            writeI32(b.length);
            out.writeBytes(b);
            memoizeValue(s);
        } else if (o instanceof byte[] b) {
            // Protocol 2 under Python 3: bytes are _codecs.encode(latin-1 str, 'latin1').
            save(new Reduce(new Global("_codecs", "encode"),
                    Tup.of(new String(b, StandardCharsets.ISO_8859_1), "latin1")));
        } else if (o instanceof Global g) {
            if (getByValue(g)) {
                return;
            }
            out.write('c');
            out.writeBytes((g.module() + "\n" + g.name() + "\n").getBytes(StandardCharsets.UTF_8));
            memoizeValue(g);
        } else if (o instanceof Tup t) {
            saveTuple(t);
        } else if (o instanceof List<?> l) {
            if (getById(l)) {
                return;
            }
            out.write(']');
            memoizeId(l);
            batch(new ArrayList<>(l), false);
        } else if (o instanceof OrderedDict od) {
            if (getById(od)) {
                return;
            }
            save(new Global("collections", "OrderedDict"));
            out.write(')');
            out.write('R');
            memoizeId(od);
            batchItems(od.items());
            if (od.state() != null) {
                save(od.state());
                out.write('b');
            }
        } else if (o instanceof Map<?, ?> m) {
            if (getById(m)) {
                return;
            }
            out.write('}');
            memoizeId(m);
            batchItems(m);
        } else if (o instanceof Reduce r) {
            if (getById(r)) {
                return;
            }
            save(r.fn());
            save(r.args());
            out.write('R');
            memoizeId(r);
            if (r.state() != null) {
                save(r.state());
                out.write('b');
            }
        } else if (o instanceof NewObj n) {
            if (getById(n)) {
                return;
            }
            save(n.cls());
            save(n.args());
            out.write(0x81);
            memoizeId(n);
            if (n.state() != null) {
                save(n.state());
                out.write('b');
            }
        } else if (o instanceof Tensor t) {
            if (getById(t)) {
                return;
            }
            save(new Global("torch._utils", "_rebuild_tensor_v2"));
            save(Tup.of(t.storage(), t.offset(), tupleOf(t.size()), tupleOf(t.stride()), t.requiresGrad(),
                    new OrderedDict(new LinkedHashMap<>())));
            out.write('R');
            memoizeId(t);
        } else if (o instanceof Storage s) {
            // persistent_id: a fresh tuple each time (so memoized anew), then BINPERSID; the storage itself is
            // never memoized.
            storages.putIfAbsent(s.key(), s);
            Tup pid = pidStyle == PidStyle.ZIP ? Tup.of("storage", s.type(), s.key(), "cpu", s.numel())
                    : Tup.of("storage", s.type(), s.key(), "cpu", s.numel(), null);
            save(pid);
            out.write('Q');
        } else if (o instanceof StorageView v) {
            storages.putIfAbsent(v.root().key(), v.root());
            save(Tup.of("storage", v.root().type(), v.root().key(), "cpu", v.root().numel(),
                    Tup.of(v.viewKey(), v.offset(), v.size())));
            out.write('Q');
        } else if (o instanceof Raw r) {
            out.writeBytes(r.bytes());
        } else {
            throw new IllegalArgumentException("cannot pickle " + o.getClass());
        }
    }

    private static Tup tupleOf(long[] v) {
        Object[] items = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
            items[i] = v[i];
        }
        return new Tup(Arrays.asList(items));
    }

    private void saveTuple(Tup t) {
        int n = t.items().size();
        if (n == 0) {
            out.write(')');
            return;
        }
        if (getById(t)) {
            return;
        }
        if (n <= 3) {
            for (Object o : t.items()) {
                save(o);
            }
            out.write(0x84 + n);
        } else {
            out.write('(');
            for (Object o : t.items()) {
                save(o);
            }
            out.write('t');
        }
        memoizeId(t);
    }

    private void batchItems(Map<?, ?> m) {
        List<Object> kv = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            kv.add(e.getKey());
            kv.add(e.getValue());
        }
        batch(kv, true);
    }

    /** CPython's _batch_appends / _batch_setitems: chunks of 1000, a lone item without MARK. */
    private void batch(List<Object> items, boolean dict) {
        int per = dict ? 2 : 1;
        int n = items.size() / per;
        for (int start = 0; start < n; start += 1000) {
            int end = Math.min(n, start + 1000);
            if (end - start > 1) {
                out.write('(');
            }
            for (int i = start * per; i < end * per; i++) {
                save(items.get(i));
            }
            if (end - start > 1) {
                out.write(dict ? 'u' : 'e');
            } else {
                out.write(dict ? 's' : 'a');
            }
        }
    }

    private void saveInt(long v) {
        if (v >= 0 && v <= 0xff) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v <= 0xffff) {
            out.write('M');
            out.write((int) (v & 0xff));
            out.write((int) (v >> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            writeI32((int) v);
        } else {
            saveLong1(BigInteger.valueOf(v));
        }
    }

    private void saveLong1(BigInteger v) {
        byte[] be = v.toByteArray();
        out.write(0x8a);
        out.write(be.length);
        for (int i = be.length - 1; i >= 0; i--) {
            out.write(be[i]);
        }
    }

    private boolean getById(Object o) {
        Integer idx = memoById.get(o);
        if (idx == null) {
            return false;
        }
        writeGet(idx);
        return true;
    }

    private boolean getByValue(Object o) {
        Integer idx = memoByValue.get(o);
        if (idx == null) {
            return false;
        }
        writeGet(idx);
        return true;
    }

    private void memoizeId(Object o) {
        memoById.put(o, memoSize);
        writePut(memoSize++);
    }

    private void memoizeValue(Object o) {
        memoByValue.put(o, memoSize);
        writePut(memoSize++);
    }

    private void writeGet(int idx) {
        if (idx < 256) {
            out.write('h');
            out.write(idx);
        } else {
            out.write('j');
            writeI32(idx);
        }
    }

    private void writePut(int idx) {
        if (idx < 256) {
            out.write('q');
            out.write(idx);
        } else {
            out.write('r');
            writeI32(idx);
        }
    }

    private void writeI32(int v) {
        out.write(v & 0xff);
        out.write(v >> 8 & 0xff);
        out.write(v >> 16 & 0xff);
        out.write(v >> 24 & 0xff);
    }
}
