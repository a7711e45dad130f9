package kindling.optim;

/**
 * Hyper-parameter checks at construction. Each message names the optimizer, the argument, the bad
 * value and the valid range, e.g. {@code Adam: invalid beta1 1.5, expected 0 <= beta1 < 1}.
 */
final class Checks {
    private Checks() {
    }

    /** {@code value >= 0} (NaN rejected). */
    static float atLeastZero(String owner, String argument, float value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(owner + ": invalid " + argument + " " + value + ", expected "
                    + argument + " >= 0");
        }
        return value;
    }

    /** {@code value >= 0} (NaN rejected), for the schedulers' double arguments. */
    static double atLeastZero(String owner, String argument, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(owner + ": invalid " + argument + " " + value + ", expected "
                    + argument + " >= 0");
        }
        return value;
    }

    /** {@code 0 <= value < 1}, as Adam's betas. */
    static float inUnitInterval(String owner, String argument, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(owner + ": invalid " + argument + " " + value + ", expected 0 <= "
                    + argument + " < 1");
        }
        return value;
    }

    /** {@code value > 0}. */
    static float positive(String owner, String argument, float value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(owner + ": invalid " + argument + " " + value + ", expected "
                    + argument + " > 0");
        }
        return value;
    }

    /** {@code value >= 1} for integer arguments (step sizes, iteration counts). */
    static int positive(String owner, String argument, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(owner + ": invalid " + argument + " " + value + ", expected "
                    + argument + " >= 1");
        }
        return value;
    }

    /** Booleans as the numbers a state dict stores. */
    static float flag(boolean on) {
        return on ? 1f : 0f;
    }
}
