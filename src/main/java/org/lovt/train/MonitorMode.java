package org.lovt.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a monitored metric improves by going down or up (Lightning's {@code mode}). */
public enum MonitorMode {
    @JsonProperty("min") MIN,
    @JsonProperty("max") MAX
}
