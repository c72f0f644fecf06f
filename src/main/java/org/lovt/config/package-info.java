/**
 * Configuration: YAML files composed like the original Hydra 1.1 setup, bound strictly to immutable records.
 *
 * <p>Pipeline ({@link org.lovt.config.ConfigLoader#load(String, java.util.List)}):
 * <ol>
 *   <li>the primary config ({@code configs/train_representation.yaml}) and its defaults lists are composed
 *       depth-first; group options are placed at their package; structured configs
 *       ({@link org.lovt.config.ConfigStore}) contribute a record's defaults; maps merge, lists replace;</li>
 *   <li>command-line overrides are applied ({@code +experiment=LoVT_100}, {@code key=value}, {@code +key=value},
 *       {@code ++key=value}, {@code ~key});</li>
 *   <li>{@code ${a.b.c}} references are resolved against the result and then the {@link org.lovt.config.UserConfig};
 *       </li>
 *   <li>{@link org.lovt.config.ResolvedConfig#bind(Class)} checks every key and type against the target record,
 *       fills {@link org.lovt.config.ConfigDefault}s and constructs the records, whose constructors check ranges.</li>
 * </ol>
 * Every value keeps its {@link org.lovt.config.Source} throughout, so each error names the file and line (or the
 * command line), the full key path and the expected type, in one line ({@link org.lovt.config.ConfigException}).
 *
 * <p>Records of other packages take part by annotating components with {@link org.lovt.config.ConfigDefault} /
 * {@link org.lovt.config.Nullable} and checking ranges with {@link org.lovt.config.Check}; YAML names are the
 * snake_case of the component names (or {@code @JsonProperty}), i.e. the original's field names.
 *
 * <p><b>Internal:</b> not a stable interface; it may change in any release. Use {@code org.lovt.api}.
 */
package org.lovt.config;
