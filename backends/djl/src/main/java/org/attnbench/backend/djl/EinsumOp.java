package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Einsum without ellipses or repeated letters inside one operand (no diagonals): operands are
 * folded left to right, each pair contracted with one batched matmul after a transpose to
 * [batch, free, contracted]; letters nobody needs later are summed away first.
 */
final class EinsumOp {
    private EinsumOp() {}

    /** One operand or partial result: an array and the letter of each of its axes. */
    private record Term(NDArray array, String letters) {}

    static void addTo(OpRegistry ops) {
        ops.add("Einsum", EinsumOp::run, (a, opset, node) -> check(a.getString("equation", "")));
    }

    private static Optional<String> check(String equation) {
        String eq = equation.replace(" ", "");
        if (eq.contains(".")) return Optional.of("an ellipsis in equation " + equation);
        for (String term : eq.split("->")[0].split(",", -1)) {
            if (term.chars().distinct().count() != term.length()) return Optional.of("a diagonal in equation " + equation);
        }
        return Optional.empty();
    }

    private static NDList run(OpContext c) {
        String eq = c.attrs.getString("equation", "").replace(" ", "");
        String[] sides = eq.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        String out = sides.length > 1 ? sides[1] : implicitOutput(terms);
        Term acc = new Term(c.in(0), terms[0]);
        for (int i = 1; i < terms.length; i++) {
            StringBuilder later = new StringBuilder(out);
            for (int j = i + 1; j < terms.length; j++) later.append(terms[j]);
            acc = contract(acc, new Term(c.in(i), terms[i]), later.toString());
        }
        return of(arrange(sumAway(acc, out), out));
    }

    /** Without "->", the output is every letter used exactly once, in alphabetical order. */
    private static String implicitOutput(String[] terms) {
        Map<Character, Integer> counts = new TreeMap<>();
        for (String t : terms) for (char ch : t.toCharArray()) counts.merge(ch, 1, Integer::sum);
        return counts.entrySet().stream().filter(e -> e.getValue() == 1).map(e -> String.valueOf(e.getKey()))
                .collect(Collectors.joining());
    }

    /** Sums the axes whose letters are not in {@code keep}. */
    private static Term sumAway(Term t, String keep) {
        List<Integer> axes = new ArrayList<>();
        StringBuilder left = new StringBuilder();
        for (int i = 0; i < t.letters().length(); i++) {
            if (keep.indexOf(t.letters().charAt(i)) < 0) axes.add(i);
            else left.append(t.letters().charAt(i));
        }
        if (axes.isEmpty()) return t;
        return new Term(t.array().sum(axes.stream().mapToInt(Integer::intValue).toArray()), left.toString());
    }

    private static Term contract(Term a, Term b, String later) {
        a = sumAway(a, b.letters() + later);
        b = sumAway(b, a.letters() + later);
        StringBuilder batch = new StringBuilder();
        StringBuilder summed = new StringBuilder();
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        for (char ch : a.letters().toCharArray()) {
            if (b.letters().indexOf(ch) < 0) left.append(ch);
            else if (later.indexOf(ch) >= 0) batch.append(ch);
            else summed.append(ch);
        }
        for (char ch : b.letters().toCharArray()) if (a.letters().indexOf(ch) < 0) right.append(ch);
        Map<Character, Long> size = new HashMap<>();
        for (Term t : List.of(a, b)) {
            for (int i = 0; i < t.letters().length(); i++) size.put(t.letters().charAt(i), t.array().getShape().get(i));
        }
        NDArray x = arrange(a, batch + "" + left + summed).reshape(product(batch, size), product(left, size), product(summed, size));
        NDArray y = arrange(b, batch + "" + summed + right).reshape(product(batch, size), product(summed, size), product(right, size));
        String letters = batch + "" + left + right;
        long[] shape = letters.chars().mapToLong(ch -> size.get((char) ch)).toArray();
        return new Term(x.matMul(y).reshape(shape), letters);
    }

    private static NDArray arrange(Term t, String order) {
        return t.array().transpose(order.chars().map(ch -> t.letters().indexOf(ch)).toArray());
    }

    private static long product(CharSequence letters, Map<Character, Long> size) {
        long p = 1;
        for (int i = 0; i < letters.length(); i++) p *= size.get(letters.charAt(i));
        return p;
    }
}
