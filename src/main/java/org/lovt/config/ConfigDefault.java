package org.lovt.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default of a config record component, written as YAML ({@code "512"}, {@code "null"},
 * {@code "[cosine_annealing_per_epoch]"}, {@code "{}"} for a nested record whose own defaults apply).
 *
 * <p>A component without this annotation is mandatory (Hydra's {@code ???}): binding fails when no config file or
 * override sets it. Defaults live next to the field, as in the original dataclasses, and are applied to the YAML
 * tree before binding so that an explicit {@code null} stays distinguishable from "not given".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConfigDefault {
    /** The default as a YAML flow value. */
    String value();
}
