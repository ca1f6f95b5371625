package dev.chime.cron;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Reads cron text into {@link Term}s per field. One instance per parse; not thread-safe.
 *
 * <p>Errors name the field, the offending text and its 1-based column.
 */
final class CronParser {
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  private static final Map<String, String> UNIX_MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final String text;
  private final String hashKey;
  private CronDialect dialect;
  private Random hash;
  private final List<Hashed> hashed = new ArrayList<>();
  private List<Term> lastDraws;

  /**
   * What the parser read: the dialect in force, the terms of each field present, and the {@code H}
   * terms of the day and month fields.
   */
  record Parsed(
      CronDialect dialect,
      Map<Field, List<Term>> terms,
      boolean orDays,
      String macro,
      List<Hashed> hashed) {}

  /**
   * An {@code H} term of day-of-month, month or day-of-week: {@code terms().get(field).get(index)},
   * and every term another key could have drawn in its place.
   */
  record Hashed(Field field, int index, String piece, int column, List<Term> draws) {}

  private CronParser(String text, CronDialect dialect, String hashKey) {
    this.text = text;
    this.dialect = dialect;
    this.hashKey = hashKey;
  }

  static Parsed parse(String text, CronDialect dialect, String hashKey) {
    if (text == null) {
      throw new CronSyntaxException("", null, 0, "the expression is missing");
    }
    return new CronParser(text, dialect, hashKey).parse();
  }

  private Parsed parse() {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw error(null, 0, "the expression is empty");
    }
    if (trimmed.startsWith("@")) {
      return macro(trimmed);
    }
    List<int[]> spans = fields(text);
    if (dialect == null) {
      dialect = CronDialect.forFieldCount(text, spans.size());
    }
    List<Field> layout = layout(spans.size());
    Map<Field, List<Term>> terms = new EnumMap<>(Field.class);
    Map<Field, String> raw = new EnumMap<>(Field.class);
    for (int i = 0; i < layout.size(); i++) {
      int[] span = spans.get(i);
      String part = text.substring(span[0], span[1]);
      raw.put(layout.get(i), part);
      terms.put(layout.get(i), field(layout.get(i), part, span[0] + 1));
    }
    if (dialect == CronDialect.UNIX) {
      terms.put(Field.SECOND, List.of(Term.value(0)));
    }
    checkQuestionMarks(raw, spans.get(layout.indexOf(Field.DAY_OF_WEEK))[0] + 1);
    boolean orDays =
        dialect == CronDialect.UNIX
            && !raw.get(Field.DAY_OF_MONTH).startsWith("*")
            && !raw.get(Field.DAY_OF_WEEK).startsWith("*");
    return new Parsed(dialect, terms, orDays, null, List.copyOf(hashed));
  }

  private Parsed macro(String trimmed) {
    String name = trimmed.toLowerCase(Locale.ROOT);
    if (name.equals("@reboot")) {
      throw error(null, 1, "'@reboot' has no fire times; schedule a once trigger at start-up");
    }
    String expansion = UNIX_MACROS.get(name);
    if (expansion == null) {
      throw error(
          null, 1, "'" + trimmed + "' is not a macro (@yearly @monthly @weekly @daily @hourly)");
    }
    if (dialect == CronDialect.QUARTZ) {
      throw error(null, 1, "macros such as '" + trimmed + "' are not part of the quartz dialect");
    }
    CronDialect target = dialect == null ? CronDialect.UNIX : dialect;
    String expanded = target == CronDialect.SPRING ? "0 " + expansion : expansion;
    Parsed parsed = new CronParser(expanded, target, hashKey).parse();
    return new Parsed(parsed.dialect(), parsed.terms(), parsed.orDays(), name, parsed.hashed());
  }

  private List<Field> layout(int count) {
    int expected = dialect == CronDialect.UNIX ? 5 : 6;
    boolean fits = count == expected || (dialect == CronDialect.QUARTZ && count == 7);
    if (!fits) {
      String want = dialect == CronDialect.QUARTZ ? "6 or 7" : String.valueOf(expected);
      throw error(
          null, 0, "the " + name(dialect) + " dialect expects " + want + " fields, found " + count);
    }
    List<Field> layout = new ArrayList<>(List.of(Field.values()));
    if (dialect == CronDialect.UNIX) {
      layout.remove(Field.SECOND);
    }
    return layout.subList(0, count);
  }

  private static String name(CronDialect dialect) {
    return dialect.name().toLowerCase(Locale.ROOT);
  }

  /** How many whitespace-separated fields the text has, as the parser splits it. */
  static int fieldCount(String text) {
    return fields(text).size();
  }

  /** Start and end offsets of the whitespace-separated fields. */
  private static List<int[]> fields(String text) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        spans.add(new int[] {start, i});
      }
    }
    return spans;
  }

  private void checkQuestionMarks(Map<Field, String> raw, int dowColumn) {
    boolean dom = raw.get(Field.DAY_OF_MONTH).equals("?");
    boolean dow = raw.get(Field.DAY_OF_WEEK).equals("?");
    if (dialect != CronDialect.QUARTZ) {
      return;
    }
    if (dom && dow) {
      throw error(
          Field.DAY_OF_WEEK,
          dowColumn,
          "'?' may stand in only one of day-of-month and day-of-week");
    }
    if (!dom && !dow) {
      throw error(
          Field.DAY_OF_WEEK,
          dowColumn,
          "the quartz dialect needs '?' in day-of-month or day-of-week (e.g. '0 0 12 ? * MON')");
    }
  }

  private List<Term> field(Field field, String part, int column) {
    List<Term> terms = new ArrayList<>();
    int start = 0;
    while (true) {
      int comma = part.indexOf(',', start);
      int end = comma < 0 ? part.length() : comma;
      String piece = part.substring(start, end);
      if (piece.isEmpty()) {
        throw error(field, column + start, "empty list element in '" + part + "'");
      }
      if ((piece.equals("*") || piece.equals("?")) && part.length() > 1) {
        throw error(field, column + start, "'" + piece + "' must stand alone, not in a list");
      }
      terms.add(term(field, piece, column + start));
      if (lastDraws != null) {
        hashed.add(new Hashed(field, terms.size() - 1, piece, column + start, lastDraws));
        lastDraws = null;
      }
      if (comma < 0) {
        return List.copyOf(terms);
      }
      start = comma + 1;
    }
  }

  private Term term(Field field, String piece, int column) {
    String upper = piece.toUpperCase(Locale.ROOT);
    if (upper.equals("*")) {
      return new Term(Term.Kind.ALL, field.starMin(dialect), max(field), 1);
    }
    if (upper.equals("?")) {
      return question(field, column);
    }
    if (piece.startsWith("H")) {
      return hashed(field, piece, column);
    }
    if ((field == Field.DAY_OF_MONTH && upper.contains("L")) || upper.endsWith("W")) {
      return dayOfMonthSpecial(field, piece, upper, column);
    }
    if (field == Field.DAY_OF_WEEK && (upper.endsWith("L") || upper.contains("#"))) {
      return dayOfWeekSpecial(piece, upper, column);
    }
    return rangeOrStep(field, piece, column);
  }

  private Term question(Field field, int column) {
    if (dialect == CronDialect.UNIX) {
      throw error(field, column, "'?' is not part of the unix dialect; use '*'");
    }
    if (!field.isDay()) {
      throw error(field, column, "'?' is only allowed in day-of-month or day-of-week");
    }
    return new Term(Term.Kind.ALL, field.starMin(dialect), max(field), 1);
  }

  private Term rangeOrStep(Field field, String piece, int column) {
    int slash = piece.indexOf('/');
    String base = slash < 0 ? piece : piece.substring(0, slash);
    int step = slash < 0 ? 1 : step(field, piece.substring(slash + 1), column + slash + 1);
    if (base.equals("*")) {
      return range(field, field.starMin(dialect), max(field), step);
    }
    int dash = base.indexOf('-', 1);
    if (dash < 0) {
      int value = value(field, base, column);
      return slash < 0 ? Term.value(internal(field, value)) : stepFrom(field, value, step);
    }
    int from = value(field, base.substring(0, dash), column);
    int to = value(field, base.substring(dash + 1), column + dash + 1);
    return range(field, from, to, step);
  }

  /** {@code a/n}: a, a+n, ... to the end of the field. */
  private Term stepFrom(Field field, int from, int step) {
    return range(field, from, max(field), step);
  }

  private Term range(Field field, int from, int to, int step) {
    if (field != Field.DAY_OF_WEEK) {
      return new Term(Term.Kind.STEP, from, to, step);
    }
    if (to - from >= 7) {
      return new Term(Term.Kind.STEP, 0, 6, step); // 0-7: Sunday counted once
    }
    // Day-of-week ranges are kept in internal numbering (0 = Sunday); a range that ends on the
    // dialect's Sunday-as-7 wraps naturally (5-7 is Fri, Sat, Sun; Spring's */2 is 1,3,5,0).
    return new Term(Term.Kind.STEP, internal(field, from), internal(field, to), step);
  }

  private int max(Field field) {
    return field == Field.DAY_OF_WEEK ? 7 : field.max;
  }

  private int step(Field field, String text, int column) {
    int step = number(field, text, column, "step");
    int span = max(field) - field.min(dialect) + 1;
    if (step < 1) {
      throw error(field, column, "step must be at least 1, was " + text);
    }
    if (step > span) {
      throw error(
          field, column, "step " + step + " is larger than the field's " + span + " values");
    }
    return step;
  }

  private int value(Field field, String text, int column) {
    if (!text.isEmpty() && Character.isLetter(text.charAt(0))) {
      return named(field, text, column);
    }
    int value = number(field, text, column, "value");
    int min = field.min(dialect);
    if (value < min || value > max(field)) {
      throw error(field, column, value + " is out of range " + min + "-" + max(field));
    }
    return value;
  }

  private int named(Field field, String text, int column) {
    String upper = text.toUpperCase(Locale.ROOT);
    if (field == Field.MONTH) {
      int index = indexOf(MONTHS, upper);
      if (index < 0) {
        throw error(field, column, "'" + text + "' is not a month name");
      }
      return index + 1;
    }
    if (field == Field.DAY_OF_WEEK) {
      int index = indexOf(DAYS, upper);
      if (index < 0) {
        throw error(field, column, "'" + text + "' is not a day name");
      }
      return switch (dialect) {
        case QUARTZ -> index + 1;
        case SPRING -> index == 0 ? 7 : index;
        case UNIX -> index;
      };
    }
    throw error(field, column, "'" + text + "' is not a number");
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private int number(Field field, String text, int column, String what) {
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw error(
          field, column, "'" + text + "' is not a " + (what.equals("step") ? "step" : "number"));
    }
    return Integer.parseInt(text);
  }

  /** A user's day-of-week value in internal numbering: 0 = Sunday ... 6 = Saturday. */
  private int internal(Field field, int value) {
    if (field != Field.DAY_OF_WEEK) {
      return value;
    }
    return dialect == CronDialect.QUARTZ ? value - 1 : value % 7;
  }

  private Term dayOfMonthSpecial(Field field, String piece, String upper, int column) {
    if (field != Field.DAY_OF_MONTH) {
      throw error(field, column, "'" + piece + "': 'W' belongs in day-of-month only");
    }
    if (upper.equals("L")) {
      return new Term(Term.Kind.LAST_DAY, 0, 0, 1);
    }
    if (upper.equals("LW")) {
      return new Term(Term.Kind.LAST_WEEKDAY, 0, 0, 1);
    }
    if (upper.startsWith("L-")) {
      int offset = number(field, piece.substring(2), column + 2, "value");
      if (offset > 30) {
        throw error(field, column + 2, "L-" + offset + ": the offset must be 0-30");
      }
      return new Term(Term.Kind.LAST_DAY, offset, offset, 1);
    }
    if (upper.endsWith("W") && upper.length() > 1) {
      int day = value(field, piece.substring(0, piece.length() - 1), column);
      return new Term(Term.Kind.NEAREST_WEEKDAY, day, day, 1);
    }
    throw error(field, column, "'" + piece + "' is not a day of the month (1-31, L, L-n, LW, nW)");
  }

  private Term dayOfWeekSpecial(String piece, String upper, int column) {
    Field field = Field.DAY_OF_WEEK;
    int hashPos = upper.indexOf('#');
    if (hashPos > 0) {
      int day = internal(field, value(field, piece.substring(0, hashPos), column));
      int nth = number(field, piece.substring(hashPos + 1), column + hashPos + 1, "value");
      if (nth < 1 || nth > 5) {
        throw error(field, column + hashPos, "'#" + nth + "': the week must be 1-5");
      }
      return new Term(Term.Kind.NTH_WEEKDAY, day, nth, 1);
    }
    if (upper.equals("L")) {
      if (dialect != CronDialect.QUARTZ) {
        throw error(field, column, "'L' alone is not a day; write e.g. '5L' for the last Friday");
      }
      return Term.value(6);
    }
    if (upper.endsWith("L") && hashPos < 0) {
      int day = internal(field, value(field, piece.substring(0, piece.length() - 1), column));
      return new Term(Term.Kind.LAST_OF_WEEKDAY, day, day, 1);
    }
    throw error(field, column, "'" + piece + "' is not a day of the week");
  }

  // ---- Jenkins H -------------------------------------------------------------------------

  private Term hashed(Field field, String piece, int column) {
    if (dialect == CronDialect.QUARTZ) {
      throw error(field, column, "'H' is not part of the quartz dialect");
    }
    if (field == Field.YEAR) {
      throw error(field, column, "'H' is not allowed in the year field");
    }
    int low = field.min;
    int high = field.hashMax();
    String rest = piece.substring(1);
    if (rest.startsWith("(")) {
      int close = rest.indexOf(')');
      int dash = rest.indexOf('-');
      if (close < 0 || dash < 0 || dash > close) {
        throw error(field, column, "'" + piece + "' is not H(a-b)");
      }
      low = value(field, rest.substring(1, dash), column + 2);
      high = value(field, rest.substring(dash + 1, close), column + dash + 2);
      if (low > high && field != Field.HOUR) {
        throw error(field, column, "'" + piece + "': H(a-b) needs a <= b");
      }
      rest = rest.substring(close + 1);
    }
    int step = 1;
    // Jenkins lets an hour range run from evening to morning: H(22-2) is 22, 23, 0, 1 or 2.
    int span = high - low + 1 + (low > high ? 24 : 0);
    if (rest.startsWith("/")) {
      step = number(field, rest.substring(1), column + piece.length() - rest.length() + 1, "step");
      if (step < 1 || step > span) {
        throw error(field, column, "'" + piece + "': step must be 1-" + span);
      }
    } else if (!rest.isEmpty()) {
      throw error(field, column, "'" + piece + "' is not H, H(a-b), H/n or H(a-b)/n");
    }
    return hashTerm(field, low, span, step, column);
  }

  /**
   * Jenkins' BaseParser.doHash: one draw per H, in field order, from one seeded Random; values past
   * 23 in a wrapping hour range are taken modulo 24.
   */
  private Term hashTerm(Field field, int low, int span, int step, int column) {
    int draws = step == 1 ? span : step;
    int draw = hash(field, column).nextInt(draws);
    if (field.isDay() || field == Field.MONTH) {
      // Whether the expression can fire depends on these draws: keep every possible one.
      List<Term> all = new ArrayList<>(draws);
      for (int d = 0; d < draws; d++) {
        all.add(drawn(field, low, span, step, d));
      }
      lastDraws = List.copyOf(all);
    }
    return drawn(field, low, span, step, draw);
  }

  /** The term H makes of the draw. */
  private Term drawn(Field field, int low, int span, int step, int draw) {
    int wrap = field == Field.HOUR ? 24 : Integer.MAX_VALUE;
    if (step == 1) {
      return Term.value(internal(field, (low + draw) % wrap));
    }
    int start = (low + draw) % wrap;
    int end = (low + span - 1) % wrap;
    return new Term(Term.Kind.STEP, internal(field, start), internal(field, end), step);
  }

  private Random hash(Field field, int column) {
    if (hashKey == null || hashKey.isEmpty()) {
      throw error(field, column, "'H' needs a key to hash (a job's id; --key on the command line)");
    }
    if (hash == null) {
      hash = new Random(seed(hashKey));
    }
    return hash;
  }

  /** MD5 of the key, folded to 8 bytes by XOR, read big-endian: Jenkins' Hash.from. */
  static long seed(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
      for (int i = 8; i < digest.length; i++) {
        digest[i % 8] ^= digest[i];
      }
      long seed = 0;
      for (int i = 0; i < 8; i++) {
        seed = (seed << 8) + (digest[i] & 0xFF);
      }
      return seed;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JVM", e);
    }
  }

  private CronSyntaxException error(Field field, int column, String reason) {
    return new CronSyntaxException(text, field == null ? null : field.label, column, reason);
  }
}
