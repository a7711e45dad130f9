package kindling.examples.seq2seq;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Human-readable dates and their ISO form, the course's machine translation exercise: "tuesday, march 5 2002"
 * → "2002-03-05". Generated here, offline, from a fixed seed: a date between 1950-01-01 and 2049-12-31 written
 * in one of {@link #FORMATS} and lower-cased. The numeric formats put the day first ("5/3/1979" is 5 March),
 * and two-digit years are unambiguous because the range is one century, 1950 to 2049.
 *
 * <p>The held-out dates are a fixed tenth of all dates, drawn by {@link #split}: a test date never appears in
 * training in any format, so exact-match accuracy on it measures translation, not memory.
 */
public final class Dates {
    /** The first and last dates generated. */
    public static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    public static final LocalDate LAST = LocalDate.of(2049, 12, 31);

    /**
     * The formats, as {@link DateTimeFormatter} patterns; "ORD" stands for the day with its English suffix
     * (1st, 2nd, 3rd, 4th, 11th, 22nd ...), which DateTimeFormatter cannot write.
     */
    public static final List<String> FORMATS = List.of(
            "d MMMM yyyy",            // 3 may 1979
            "EEEE, MMMM d yyyy",      // tuesday, march 5 2002
            "dd.MM.yy",               // 05.03.79
            "d/M/yyyy",               // 5/3/1979
            "MMMM ORD, yyyy",         // march 5th, 2002
            "d MMM yyyy",             // 5 mar 2002
            "MMM d, yyyy",            // mar 5, 2002
            "dd MMM yy",              // 05 mar 02
            "EEE d MMM yyyy",         // tue 5 mar 2002
            "MMMM d, yyyy",           // march 5, 2002
            "dd/MM/yyyy",             // 05/03/2002
            "EEEE d MMMM yyyy",       // tuesday 5 march 2002
            "'the' ORD 'of' MMMM yyyy", // the 5th of march 2002
            "d.M.yyyy",               // 5.3.2002
            "d-MMM-yyyy");            // 5-mar-2002

    /** One example: the human-readable source, the ISO target and the date itself. */
    public record Pair(String human, String iso, LocalDate date) {
    }

    /** The training and held-out dates. */
    public record Split(List<LocalDate> train, List<LocalDate> test) {
    }

    private Dates() {
    }

    /** Every date from {@link #FIRST} to {@link #LAST}, shuffled with {@code seed}; the first {@code testFraction} held out. */
    public static Split split(long seed, double testFraction) {
        List<LocalDate> all = new ArrayList<>();
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
            all.add(d);
        }
        Collections.shuffle(all, new Random(seed));
        int test = (int) Math.round(all.size() * testFraction);
        return new Split(List.copyOf(all.subList(test, all.size())), List.copyOf(all.subList(0, test)));
    }

    /** {@code date} in format {@code format} (an index into {@link #FORMATS}), lower-cased. */
    public static String format(LocalDate date, int format) {
        String pattern = FORMATS.get(format);
        String text;
        if (pattern.contains("ORD")) {
            int at = pattern.indexOf("ORD");
            String before = pattern.substring(0, at);
            String after = pattern.substring(at + 3);
            text = (before.isEmpty() ? "" : formatter(before).format(date)) + ordinal(date.getDayOfMonth())
                    + (after.isEmpty() ? "" : formatter(after).format(date));
        } else {
            text = formatter(pattern).format(date);
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** A random date of {@code dates} in a random format. */
    public static Pair draw(Random random, List<LocalDate> dates) {
        LocalDate date = dates.get(random.nextInt(dates.size()));
        return new Pair(format(date, random.nextInt(FORMATS.size())), date.toString(), date);
    }

    /** {@code n} draws. */
    public static List<Pair> sample(Random random, List<LocalDate> dates, int n) {
        List<Pair> pairs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pairs.add(draw(random, dates));
        }
        return pairs;
    }

    /** 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st, 22nd, 23rd ... 31st. */
    static String ordinal(int day) {
        String suffix = day % 100 >= 11 && day % 100 <= 13 ? "th"
                : switch (day % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return day + suffix;
    }

    private static DateTimeFormatter formatter(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH);
    }
}
