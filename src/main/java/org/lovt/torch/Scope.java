package org.lovt.torch;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * The lifetime of one step: every tensor created on this thread while the scope is open is freed when it closes.
 *
 * <p>JavaCPP does not count libtorch allocations, so the garbage collector alone does not bound native memory
 * (libtorch-java.md §1: 4.6 MiB leaked per MLP step without a scope, flat with one). Model and optimizer state are
 * created outside any scope; each step runs inside one; results that must outlive the step are turned into Java
 * numbers or {@linkplain #keep kept}.
 *
 * <pre>{@code
 * try (Scope step = Scope.open()) {
 *     Tensor loss = model.forward(batch);   // freed at the end of the block
 *     loss.backward();
 *     lossValue = loss.item_double();       // a Java number survives
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private final PointerScope scope;

    private Scope(PointerScope scope) {
        this.scope = scope;
    }

    /** Opens a scope on the current thread (loading the natives first if needed). Scopes nest. */
    public static Scope open() {
        Natives.load();
        return new Scope(new PointerScope());
    }

    /**
     * Lets a pointer (tensor, module, ...) created in this scope survive its end. The caller owns it afterwards and
     * frees it with {@code releaseReference()} (or {@code close()}), or it is collected by the GC.
     *
     * <p>Never use {@code PointerScope.detach}: it releases the reference and frees the tensor (§1 gotcha).
     */
    public <P extends Pointer> P keep(P pointer) {
        pointer.retainReference();
        return pointer;
    }

    @Override
    public void close() {
        scope.close();
    }
}
