package io.hawkeye.jobs.detect;

import io.hawkeye.stats.WindowStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A compiled rule expression over the fields of {@link WindowStats}: a small hand-written recursive-descent
 * parser and evaluator, deliberately not a scripting engine (no code runs that an operator did not write here).
 *
 * <pre>
 * expr       := or
 * or         := and ( "or" and )*
 * and        := not ( "and" not )*
 * not        := "not" not | comparison
 * comparison := sum ( ( "&gt;" | "&gt;=" | "&lt;" | "&lt;=" | "==" | "!=" ) sum )?
 * sum        := product ( ( "+" | "-" ) product )*
 * product    := unary ( ( "*" | "/" ) unary )*
 * unary      := "-" unary | number | field | "(" expr ")"
 * </pre>
 * {@code and}/{@code or}/{@code not} are also accepted as {@code &&}, {@code ||}, {@code !}. Numbers are decimal
 * literals with an optional exponent. Fields: {@link #FIELDS}. Types are checked at parse time: the whole
 * expression must be a condition, {@code and}/{@code or}/{@code not} take conditions, arithmetic and
 * comparisons take numbers. Arithmetic follows IEEE 754; a comparison with NaN (e.g. 0/0) is false.
 *
 * <p>Bounded, because rules arrive from a topic: at most {@value #MAX_LENGTH} characters, {@value #MAX_TOKENS}
 * tokens and {@value #MAX_DEPTH} levels of nesting (parentheses, {@code not}, unary minus), so neither parsing nor
 * evaluation (whose recursion follows the tree, at most one level per token) can exhaust the stack.
 */
public final class RuleExpression {
    /** The WindowStats fields an expression may use, by name. */
    public static final Map<String, ToDoubleFunction<WindowStats>> FIELDS = new LinkedHashMap<>();
    public static final int MAX_LENGTH = 1_000;
    public static final int MAX_TOKENS = 200;
    public static final int MAX_DEPTH = 32;

    static {
        FIELDS.put("count", w -> w.count);
        FIELDS.put("errors", w -> w.errors);
        FIELDS.put("error_rate", w -> w.errorRate);
        FIELDS.put("rps", w -> w.rps);
        FIELDS.put("min_ms", w -> w.minMs);
        FIELDS.put("mean_ms", w -> w.meanMs);
        FIELDS.put("max_ms", w -> w.maxMs);
        FIELDS.put("p50_ms", w -> w.p50Ms);
        FIELDS.put("p90_ms", w -> w.p90Ms);
        FIELDS.put("p95_ms", w -> w.p95Ms);
        FIELDS.put("p99_ms", w -> w.p99Ms);
        FIELDS.put("p999_ms", w -> w.p999Ms);
    }

    private final String source;
    private final Node root;
    private final List<String> fields;
    private final Threshold threshold;

    private RuleExpression(String source, Node root, List<String> fields) {
        this.source = source;
        this.root = root;
        this.fields = fields;
        this.threshold = threshold(root);
    }

    /** The first {@code field op number} comparison of a top-level chain of {@code and}s. */
    private static Threshold threshold(Node n) {
        if (n instanceof Cmp c && c.l instanceof Field f && c.r instanceof Num v) return new Threshold(f.name, c.op, v.v);
        if (n instanceof Logic l && l.and) {
            Threshold t = threshold(l.l);
            return t != null ? t : threshold(l.r);
        }
        return null;
    }

    /** Parses and type-checks; throws IllegalArgumentException with the position and the problem. */
    public static RuleExpression parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("expression is empty");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("expression is longer than " + MAX_LENGTH + " characters");
        }
        Parser p = new Parser(text);
        if (p.tokens.size() - 1 > MAX_TOKENS) {
            throw new IllegalArgumentException("expression has more than " + MAX_TOKENS + " tokens");
        }
        Node n = p.or();
        if (p.peek().kind != Kind.END) {
            throw p.error("unexpected '" + p.peek().text + "'");
        }
        if (n.type() != Type.BOOL) {
            throw new IllegalArgumentException("expression is a number, not a condition (add a comparison, "
                    + "e.g. '" + text.strip() + " > 0')");
        }
        return new RuleExpression(text, n, List.copyOf(p.fields));
    }

    public boolean test(WindowStats w) {
        return root.eval(w) != 0;
    }

    /** The fields the expression reads, in order of first use. */
    public List<String> fields() {
        return fields;
    }

    /** For a rule {@code field op number [and ...]}: that field, operator and threshold; else null. */
    public Threshold threshold() {
        return threshold;
    }

    public double field(String name, WindowStats w) {
        return FIELDS.get(name).applyAsDouble(w);
    }

    @Override
    public String toString() {
        return source;
    }

    public record Threshold(String field, String op, double value) {}

    // --- AST ---
    private enum Type { NUM, BOOL }

    private interface Node {
        double eval(WindowStats w);

        Type type();
    }

    /** A number. */
    private interface NumNode extends Node {
        @Override
        default Type type() {
            return Type.NUM;
        }
    }

    /** A condition: 1 (true) or 0 (false). */
    private interface BoolNode extends Node {
        @Override
        default Type type() {
            return Type.BOOL;
        }
    }

    private record Num(double v) implements NumNode {
        public double eval(WindowStats w) {
            return v;
        }
    }

    private record Field(String name, ToDoubleFunction<WindowStats> f) implements NumNode {
        public double eval(WindowStats w) {
            return f.applyAsDouble(w);
        }
    }

    private record Arith(char op, Node l, Node r) implements NumNode {
        public double eval(WindowStats w) {
            double a = l.eval(w);
            double b = r.eval(w);
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                default -> a / b;
            };
        }
    }

    private record Neg(Node x) implements NumNode {
        public double eval(WindowStats w) {
            return -x.eval(w);
        }
    }

    private record Cmp(String op, Node l, Node r) implements BoolNode {
        public double eval(WindowStats w) {
            double a = l.eval(w);
            double b = r.eval(w);
            boolean t = switch (op) {
                case ">" -> a > b;
                case ">=" -> a >= b;
                case "<" -> a < b;
                case "<=" -> a <= b;
                case "==" -> a == b;
                default -> a != b && !Double.isNaN(a) && !Double.isNaN(b);
            };
            return t ? 1 : 0;
        }
    }

    private record Logic(boolean and, Node l, Node r) implements BoolNode {
        public double eval(WindowStats w) {
            boolean a = l.eval(w) != 0;
            if (and && !a) return 0;
            if (!and && a) return 1;
            return r.eval(w) != 0 ? 1 : 0;
        }
    }

    private record Not(Node x) implements BoolNode {
        public double eval(WindowStats w) {
            return x.eval(w) != 0 ? 0 : 1;
        }
    }

    // --- Lexer and parser ---
    private enum Kind { NUM, IDENT, OP, LPAREN, RPAREN, END }

    private record Token(Kind kind, String text, int pos) {}

    private static final class Parser {
        final String src;
        final List<Token> tokens = new ArrayList<>();
        final List<String> fields = new ArrayList<>();
        int i;
        int depth;

        /** Enters one level of nesting; past {@link #MAX_DEPTH}, a parse error. */
        void enter() {
            if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        }

        Parser(String src) {
            this.src = src;
            lex();
        }

        IllegalArgumentException error(String msg) {
            return error(msg, peek().pos);
        }

        IllegalArgumentException error(String msg, int pos) {
            String shown = src.length() <= 120 ? src : src.substring(0, 117) + "...";
            return new IllegalArgumentException(msg + " at position " + (pos + 1) + " in '" + shown + "'");
        }

        private void lex() {
            int n = src.length();
            int p = 0;
            while (p < n) {
                char c = src.charAt(p);
                if (Character.isWhitespace(c)) {
                    p++;
                } else if (Character.isDigit(c) || (c == '.' && p + 1 < n && Character.isDigit(src.charAt(p + 1)))) {
                    int s = p;
                    while (p < n && (Character.isDigit(src.charAt(p)) || src.charAt(p) == '.')) p++;
                    if (p < n && (src.charAt(p) == 'e' || src.charAt(p) == 'E')) {
                        int q = p + 1;
                        if (q < n && (src.charAt(q) == '+' || src.charAt(q) == '-')) q++;
                        if (q < n && Character.isDigit(src.charAt(q))) {
                            p = q;
                            while (p < n && Character.isDigit(src.charAt(p))) p++;
                        }
                    }
                    if (p < n && (Character.isLetter(src.charAt(p)) || src.charAt(p) == '_')) {
                        throw error("bad number '" + src.substring(s, p + 1) + "' (durations and units are not "
                                + "supported; latencies are in ms, rates are fractions)", s);
                    }
                    tokens.add(new Token(Kind.NUM, src.substring(s, p), s));
                } else if (Character.isLetter(c) || c == '_') {
                    int s = p;
                    while (p < n && (Character.isLetterOrDigit(src.charAt(p)) || src.charAt(p) == '_')) p++;
                    String word = src.substring(s, p);
                    String lower = word.toLowerCase(java.util.Locale.ROOT);
                    if (lower.equals("and") || lower.equals("or") || lower.equals("not")) {
                        tokens.add(new Token(Kind.OP, lower, s));
                    } else {
                        tokens.add(new Token(Kind.IDENT, word, s));
                    }
                } else if (c == '(') {
                    tokens.add(new Token(Kind.LPAREN, "(", p++));
                } else if (c == ')') {
                    tokens.add(new Token(Kind.RPAREN, ")", p++));
                } else {
                    String two = p + 1 < n ? src.substring(p, p + 2) : "";
                    switch (two) {
                        case ">=", "<=", "==", "!=" -> {
                            tokens.add(new Token(Kind.OP, two, p));
                            p += 2;
                            continue;
                        }
                        case "&&" -> {
                            tokens.add(new Token(Kind.OP, "and", p));
                            p += 2;
                            continue;
                        }
                        case "||" -> {
                            tokens.add(new Token(Kind.OP, "or", p));
                            p += 2;
                            continue;
                        }
                        default -> { }
                    }
                    if ("<>+-*/".indexOf(c) >= 0) {
                        tokens.add(new Token(Kind.OP, String.valueOf(c), p++));
                    } else if (c == '!') {
                        tokens.add(new Token(Kind.OP, "not", p++));
                    } else if (c == '=') {
                        throw error("'=' is not an operator (use '==')", p);
                    } else {
                        throw error("unexpected character '" + c + "'", p);
                    }
                }
            }
            tokens.add(new Token(Kind.END, "end of expression", n));
        }

        Token peek() {
            return tokens.get(i);
        }

        boolean accept(String op) {
            Token t = peek();
            if (t.kind == Kind.OP && t.text.equals(op)) {
                i++;
                return true;
            }
            return false;
        }

        Node or() {
            return logic("or", this::and);
        }

        Node and() {
            return logic("and", this::not);
        }

        /** A left-associative chain of conditions from {@code next} joined by {@code op} ("or" or "and"). */
        private Node logic(String op, Supplier<Node> next) {
            Node l = next.get();
            while (true) {
                int pos = peek().pos;
                if (!accept(op)) return l;
                Node r = next.get();
                l = new Logic(op.equals("and"), bool(l, op, pos), bool(r, op, pos));
            }
        }

        Node not() {
            int pos = peek().pos;
            if (accept("not")) {
                enter();
                Node n = new Not(bool(not(), "not", pos));
                depth--;
                return n;
            }
            return comparison();
        }

        Node comparison() {
            Node l = sum();
            Token t = peek();
            if (t.kind == Kind.OP && List.of(">", ">=", "<", "<=", "==", "!=").contains(t.text)) {
                i++;
                Node r = sum();
                Node c = new Cmp(t.text, num(l, t.text, t.pos), num(r, t.text, t.pos));
                Token u = peek();
                if (u.kind == Kind.OP && List.of(">", ">=", "<", "<=", "==", "!=").contains(u.text)) {
                    throw error("comparisons cannot be chained (use 'and')", u.pos);
                }
                return c;
            }
            return l;
        }

        Node sum() {
            return arithmetic("+", "-", this::product);
        }

        Node product() {
            return arithmetic("*", "/", this::unary);
        }

        /** A left-associative chain of numbers from {@code next} joined by the operators {@code a} and {@code b}. */
        private Node arithmetic(String a, String b, Supplier<Node> next) {
            Node l = next.get();
            while (true) {
                Token t = peek();
                if (!(accept(a) || accept(b))) return l;
                l = new Arith(t.text.charAt(0), num(l, t.text, t.pos), num(next.get(), t.text, t.pos));
            }
        }

        Node unary() {
            Token t = peek();
            if (accept("-")) {
                enter();
                Node n = new Neg(num(unary(), "-", t.pos));
                depth--;
                return n;
            }
            switch (t.kind) {
                case NUM -> {
                    i++;
                    try {
                        return new Num(Double.parseDouble(t.text));
                    } catch (NumberFormatException e) {
                        throw error("bad number '" + t.text + "'", t.pos);
                    }
                }
                case IDENT -> {
                    i++;
                    ToDoubleFunction<WindowStats> f = FIELDS.get(t.text);
                    if (f == null) {
                        throw new IllegalArgumentException(error("unknown field '" + t.text + "'", t.pos).getMessage()
                                + " (fields: " + String.join(", ", FIELDS.keySet()) + ")");
                    }
                    if (!fields.contains(t.text)) fields.add(t.text);
                    return new Field(t.text, f);
                }
                case LPAREN -> {
                    i++;
                    enter();
                    Node e = or();
                    if (peek().kind != Kind.RPAREN) throw error("missing ')'");
                    i++;
                    depth--;
                    return e;
                }
                case END -> throw error("expression ends early");
                default -> throw error("unexpected '" + t.text + "'");
            }
        }

        Node bool(Node n, String op, int pos) {
            if (n.type() != Type.BOOL) throw error("'" + op + "' needs conditions on both sides, got a number", pos);
            return n;
        }

        Node num(Node n, String op, int pos) {
            if (n.type() != Type.NUM) throw error("'" + op + "' needs numbers, got a condition", pos);
            return n;
        }
    }
}
