package org.lovt.data.datasets.synthetic;

/**
 * One of the six anatomical lung zones: patient side ({@link Side}, radiological convention: patient right = image
 * left) times vertical third of that lung ({@link Level}).
 */
public enum Zone {
    RIGHT_UPPER(Side.RIGHT, Level.UPPER),
    RIGHT_MIDDLE(Side.RIGHT, Level.MIDDLE),
    RIGHT_LOWER(Side.RIGHT, Level.LOWER),
    LEFT_UPPER(Side.LEFT, Level.UPPER),
    LEFT_MIDDLE(Side.LEFT, Level.MIDDLE),
    LEFT_LOWER(Side.LEFT, Level.LOWER);

    private final Side side;
    private final Level level;

    Zone(Side side, Level level) {
        this.side = side;
        this.level = level;
    }

    public Side side() {
        return side;
    }

    public Level level() {
        return level;
    }

    /** The zone of a side and level. */
    public static Zone of(Side side, Level level) {
        return values()[side.ordinal() * 3 + level.ordinal()];
    }

    /** Key used in the ground-truth files, e.g. {@code right_upper}. */
    public String key() {
        return side.word() + "_" + level.word();
    }

    /** The zone with this {@link #key()}. */
    public static Zone ofKey(String key) {
        for (Zone z : values()) {
            if (z.key().equals(key)) {
                return z;
            }
        }
        throw new IllegalArgumentException("unknown zone key '" + key + "'");
    }
}
