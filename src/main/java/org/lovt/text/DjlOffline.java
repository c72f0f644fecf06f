package org.lovt.text;

import org.lovt.LovtException;

/**
 * Keeps DJL offline. DJL contacts the network when the first tokenizer is built unless told not to: it calls home
 * (the EC2 metadata endpoint, then an S3 telemetry URL; libtorch-java.md §6) and may download native libraries.
 * This library only ever hands DJL local files, so it switches DJL's offline mode and tracking opt-out on right
 * before each tokenizer is built, and not earlier: loading the library's classes changes no process-wide state.
 *
 * <p>A value the user set is kept ({@code OPT_OUT_TRACKING=false} included: offline mode alone already stops the
 * call home), except that offline mode switched off ({@code -Dai.djl.offline=false}, or {@code DJL_OFFLINE=false}
 * in the environment, which DJL reads first) is refused with a {@link LovtException}: the library must not
 * download.
 */
final class DjlOffline {
    /** DJL's offline switch, a system property. */
    static final String OFFLINE_PROPERTY = "ai.djl.offline";
    /** DJL's offline switch in the environment; it takes precedence over the property. */
    static final String OFFLINE_ENV = "DJL_OFFLINE";
    /** DJL's telemetry opt-out, read from the environment or a system property. */
    static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

    private DjlOffline() {}

    /**
     * Sets DJL's offline mode and tracking opt-out where the user left them unset.
     *
     * @throws LovtException when offline mode was explicitly switched off
     */
    static synchronized void require() {
        String env = System.getenv(OFFLINE_ENV);
        if (env != null && !Boolean.parseBoolean(env)) {
            throw new LovtException(OFFLINE_ENV + "=" + env + " is set in the environment, which switches DJL's "
                    + "offline mode off; LoVT builds tokenizers from local files only and does not let DJL download "
                    + "or call home: unset " + OFFLINE_ENV + " (or set it to true)");
        }
        String offline = System.getProperty(OFFLINE_PROPERTY);
        if (offline == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        } else if (!Boolean.parseBoolean(offline)) {
            throw new LovtException("-D" + OFFLINE_PROPERTY + "=" + offline + " switches DJL's offline mode off; "
                    + "LoVT builds tokenizers from local files only and does not let DJL download or call home: "
                    + "remove the property (or set it to true)");
        }
        if (System.getProperty(OPT_OUT_TRACKING) == null && System.getenv(OPT_OUT_TRACKING) == null) {
            System.setProperty(OPT_OUT_TRACKING, "true");
        }
    }
}
