package org.attnbench.metrics.fidelity;

/**
 * How far an output is from a reference output of the same inputs (usually dense attention).
 *
 * @param mse mean squared error, the ToDo paper's Table 1 metric
 * @param maxAbs largest absolute element difference
 * @param relativeL2 ||actual - reference|| / ||reference||
 * @param cosine cosine similarity of the two flattened tensors
 */
public record Fidelity(double mse, double maxAbs, double relativeL2, double cosine) {

    public static Fidelity compare(double[] reference, double[] actual) {
        if (reference.length != actual.length || reference.length == 0) {
            throw new IllegalArgumentException("cannot compare " + reference.length + " with " + actual.length + " values");
        }
        double sq = 0;
        double max = 0;
        double refSq = 0;
        double actSq = 0;
        double dot = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = actual[i] - reference[i];
            sq += d * d;
            max = Math.max(max, Math.abs(d));
            refSq += reference[i] * reference[i];
            actSq += actual[i] * actual[i];
            dot += reference[i] * actual[i];
        }
        double rel = refSq == 0 ? (sq == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(sq / refSq);
        double cos = refSq == 0 || actSq == 0 ? (refSq == actSq ? 1 : 0) : dot / Math.sqrt(refSq * actSq);
        return new Fidelity(sq / reference.length, max, rel, cos);
    }

    /** Peak signal-to-noise ratio in dB for values spanning {@code dataRange} (255 for 8-bit images). */
    public double psnr(double dataRange) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
    }
}
