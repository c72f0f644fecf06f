package org.lovt.torch.io;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An input stream over a byte buffer that knows its position and how much is left.
 *
 * <p>The unpickler needs both: the position to name the opcode at fault in error messages (and, in the legacy
 * format, to find where the storages start after the pickles), and the remaining length to reject a claimed string
 * or bytes length before anything of that size is allocated. It never reads ahead, so after a pickle's STOP the
 * position is exactly the first byte after it.
 */
final class PickleInput extends InputStream {
    private final ByteBuffer buf;
    private final int start;

    PickleInput(ByteBuffer buf) {
        this.buf = buf.duplicate();
        this.start = this.buf.position();
    }

    /** Bytes consumed since the start of the stream. */
    long position() {
        return buf.position() - start;
    }

    /** Bytes left. */
    long remaining() {
        return buf.remaining();
    }

    @Override
    public int read() {
        return buf.hasRemaining() ? buf.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!buf.hasRemaining()) {
            return -1;
        }
        int n = Math.min(len, buf.remaining());
        buf.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buf.remaining();
    }
}
