package org.lovt.nn;

import org.bytedeco.pytorch.Module;

/** Helpers over any module tree. */
public final class Modules {
    private Modules() {}

    /**
     * Registers a new empty container module (a level of the name hierarchy, like Hugging Face's
     * {@code attention.self}) under {@code parent} and adds it to {@code keep}.
     *
     * <p>Modules created from Java must stay reachable from Java for as long as the model is used: libtorch calls
     * back into the Java object for virtual functions such as {@code train()}, and once the garbage collector has
     * taken an unreferenced container those calls fail (NullPointerException), or worse. The caller therefore keeps
     * {@code keep} in a field of the owning module.
     */
    public static org.bytedeco.pytorch.Module container(org.bytedeco.pytorch.Module parent, String name,
                                                        java.util.List<org.bytedeco.pytorch.Module> keep) {
        org.bytedeco.pytorch.Module c = parent.register_module(name, new org.bytedeco.pytorch.Module());
        keep.add(c);
        return c;
    }

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
