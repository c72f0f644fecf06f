package org.lovt.nn;

import org.bytedeco.pytorch.Module;

/** Helpers over any module tree. */
public final class Modules {
    private Modules() {}

    /**
     * Number of parameter elements, like {@code sum(p.numel() for p in m.parameters())}; with {@code trainableOnly}
     * only those that require a gradient.
     */
    public static long parameterCount(Module m, boolean trainableOnly) {
        long n = 0;
        var params = m.parameters(true);
        for (long i = 0; i < params.size(); i++) {
            if (!trainableOnly || params.get(i).requires_grad()) {
                n += params.get(i).numel();
            }
        }
        return n;
    }
}
