package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.stats.WindowStats;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Hostile rule input (issue 15): whatever text reaches the parser — random strings, random token soup, deep
 * nesting, huge numbers, control characters — it either compiles to a rule that evaluates without throwing, or is
 * rejected with the one exception type the callers count ({@link IllegalArgumentException} from the expression
 * parser, {@link RuleException} from a rule document). Nothing else escapes: no StackOverflowError, no
 * NumberFormatException, no regex catastrophe.
 */
class RuleInputPropertiesTest {
    /** The window the rules are evaluated on (the one of the expression tests). */
    static final WindowStats WINDOW = RuleExpressionTest.w();

    /** Either parses (and then evaluates to true or false) or is an IllegalArgumentException. */
    static void parsesOrIsRejected(String text) {
        RuleExpression e;
        try {
            e = RuleExpression.parse(text);
        } catch (IllegalArgumentException rejected) {
            assertThat(rejected.getMessage()).isNotBlank();
            return;
        }
        e.test(WINDOW); // must not throw
    }

    @Property(tries = 3000)
    void anyStringIsParsedOrRejected(@ForAll @StringLength(max = 1200) String text) {
        parsesOrIsRejected(text);
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        Arbitrary<String> token = Arbitraries.of("count", "errors", "error_rate", "rps", "p99_ms", "nosuch", "0",
                "1e308", "1e309", "-", "+", "*", "/", "(", ")", "and", "or", "not", "&&", "||", "!", ">", ">=", "<",
                "<=", "==", "!=", "=", "0.5", "9999999999999999999999", "NaN", ".", "1e", "\u0000", "\u202e");
        return token.list().ofMaxSize(300).map(l -> String.join(" ", l));
    }

    @Property(tries = 3000)
    void anySequenceOfTokensIsParsedOrRejected(@ForAll("tokenSoup") String text) {
        parsesOrIsRejected(text);
    }

    @Example
    void nestingAndSizeAreBounded() {
        String deep = "(".repeat(RuleExpression.MAX_DEPTH + 1) + "count > 0" + ")".repeat(RuleExpression.MAX_DEPTH + 1);
        assertThatThrownBy(() -> RuleExpression.parse(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper than " + RuleExpression.MAX_DEPTH);
        String nots = "not ".repeat(100) + "count > 0";
        assertThatThrownBy(() -> RuleExpression.parse(nots)).hasMessageContaining("nested deeper");
        String minus = "-".repeat(150) + "1 > 0";
        assertThatThrownBy(() -> RuleExpression.parse(minus)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RuleExpression.parse("count > 0 and ".repeat(100) + "rps > 0"))
                .hasMessageContaining("longer than " + RuleExpression.MAX_LENGTH);
        assertThatThrownBy(() -> RuleExpression.parse("1+".repeat(120) + "1 > 0"))
                .hasMessageContaining("more than " + RuleExpression.MAX_TOKENS + " tokens");
        // Within the bounds: as deep as allowed still parses and evaluates.
        String ok = "(".repeat(RuleExpression.MAX_DEPTH) + "count > 99" + ")".repeat(RuleExpression.MAX_DEPTH);
        assertThat(RuleExpression.parse(ok).test(WINDOW)).isTrue();
    }

    @Provide
    Arbitrary<String> ruleDocuments() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of("count > 0", "[", "{", "*a", "&a [*a, *a]", "!!binary AAAA", "~", "1e999",
                        "'(a+)+$'", "((((((((((", "\"\\u0000\""));
        Arbitrary<String> key = Arbitraries.of("expr", "for", "severity", "labels", "scope", "service", "name",
                "fro", "labels: {a: {b: c}}", "\u0000");
        return Arbitraries.entries(key, value).list().ofMaxSize(8).map(l -> {
            StringBuilder sb = new StringBuilder();
            for (var e : l) sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            return sb.toString();
        });
    }

    /** A rules-topic record: a valid rule, or a RuleException naming the rule; never anything else. */
    @Property(tries = 2000)
    void anyRuleDocumentIsReadOrRejected(@ForAll("ruleDocuments") String doc) {
        readOrRejected(doc);
    }

    @Property(tries = 2000)
    void anyStringAsARuleDocumentIsReadOrRejected(@ForAll @StringLength(max = 400) String doc) {
        readOrRejected(doc);
    }

    static void readOrRejected(String doc) {
        try {
            RuleDefinition d = RuleSet.parseOne("Fuzz", doc);
            assertThat(d.compile().appliesTo(WINDOW)).isIn(true, false);
        } catch (RuleException rejected) {
            assertThat(rejected.getMessage()).contains("Fuzz");
        }
    }

    @Example
    void hostileDocumentsAreRejected() {
        for (String doc : List.of(
                "expr: count > 0\nservice: '(a+)+$'\n", // fine under RE2/J: linear-time, accepted
                "expr: count > 0\nlabels: {\"x y\": 1}\n",
                "expr: count > 0\nlabels: {a1: 1, a2: 1, a3: 1, a4: 1, a5: 1, a6: 1, a7: 1, a8: 1, a9: 1, b1: 1,"
                        + " b2: 1, b3: 1, b4: 1, b5: 1, b6: 1, b7: 1, b8: 1}\n",
                "expr: count > 0\nservice: '" + "a".repeat(300) + "'\n",
                "expr: " + "[".repeat(5000) + "\n",
                "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: [*d, *d]\nexpr: count > 0\n")) {
            readOrRejected(doc);
        }
        assertThatThrownBy(() -> RuleSet.parseOne("L", "expr: count > 0\nlabels: {\"x y\": 1}\n"))
                .isInstanceOf(RuleException.class).hasMessageContaining("label key");
        assertThatThrownBy(() -> RuleSet.parseOne("S", "expr: count > 0\nservice: '" + "a".repeat(300) + "'\n"))
                .hasMessageContaining("longer than " + RuleDefinition.MAX_PATTERN);
        // The pattern that backtracks catastrophically in java.util.regex matches in linear time here.
        RuleDefinition d = RuleSet.parseOne("Redos", "expr: count > 0\nservice: '(a+)+$'\n");
        WindowStats w = RuleExpressionTest.w();
        w.service = "a".repeat(5000) + "!";
        long t0 = System.nanoTime();
        assertThat(d.compile().appliesTo(w)).isFalse();
        assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    }
}
