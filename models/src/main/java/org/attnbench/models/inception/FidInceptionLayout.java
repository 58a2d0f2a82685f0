package org.attnbench.models.inception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every convolution of the FID Inception-v3 under the names of its two published forms, with the
 * kernel, stride and padding it has in both. Each is one unit: a convolution without bias, batch
 * normalization (epsilon 0.001) and ReLU.
 *
 * <ul>
 *   <li>pytorch-fid's {@code pt_inception-2015-12-05-6726825d.pth} state_dict (torchvision's
 *       module names: {@code Mixed_5b.branch5x5_2} holds {@code .conv.weight} and
 *       {@code .bn.weight}, {@code .bn.bias}, {@code .bn.running_mean}, {@code .bn.running_var});
 *   <li>StyleGAN's TorchScript {@code inception-2015-12-05.pt}, whose {@code layers} names the
 *       same unit {@code layers.mixed.tower.conv_1} and holds {@code weight}, {@code beta},
 *       {@code mean} and {@code var} (no batch-norm scale).
 * </ul>
 *
 * Widths are not part of the layout: they are read from the weights.
 */
public final class FidInceptionLayout {
    /** One convolution unit: both names, kernel (height, width), stride, padding (height, width). */
    public record Unit(String fidName, String scriptName, int kernelH, int kernelW, int stride, int padH, int padW) {}

    private static final Map<String, Unit> UNITS = build();

    private FidInceptionLayout() {}

    /** Every unit, in the order the network runs them. */
    public static List<Unit> units() {
        return List.copyOf(UNITS.values());
    }

    /** The unit pytorch-fid calls {@code fidName}. */
    public static Unit unit(String fidName) {
        Unit u = UNITS.get(fidName);
        if (u == null) throw new IllegalArgumentException("no unit " + fidName);
        return u;
    }

    private static Map<String, Unit> build() {
        Map<String, Unit> m = new LinkedHashMap<>();
        Adder add = (fid, script, kh, kw, stride, ph, pw) -> m.put(fid, new Unit(fid, script, kh, kw, stride, ph, pw));
        add.unit("Conv2d_1a_3x3", "layers.conv", 3, 3, 2, 0, 0);
        add.unit("Conv2d_2a_3x3", "layers.conv_1", 3, 3, 1, 0, 0);
        add.unit("Conv2d_2b_3x3", "layers.conv_2", 3, 3, 1, 1, 1);
        add.unit("Conv2d_3b_1x1", "layers.conv_3", 1, 1, 1, 0, 0);
        add.unit("Conv2d_4a_3x3", "layers.conv_4", 3, 3, 1, 0, 0);
        String[][] a = {{"Mixed_5b", "layers.mixed"}, {"Mixed_5c", "layers.mixed_1"}, {"Mixed_5d", "layers.mixed_2"}};
        for (String[] b : a) {
            String f = b[0] + ".";
            String s = b[1] + ".";
            add.unit(f + "branch1x1", s + "conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch5x5_1", s + "tower.conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch5x5_2", s + "tower.conv_1", 5, 5, 1, 2, 2);
            add.unit(f + "branch3x3dbl_1", s + "tower_1.conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch3x3dbl_2", s + "tower_1.conv_1", 3, 3, 1, 1, 1);
            add.unit(f + "branch3x3dbl_3", s + "tower_1.conv_2", 3, 3, 1, 1, 1);
            add.unit(f + "branch_pool", s + "tower_2.conv", 1, 1, 1, 0, 0);
        }
        add.unit("Mixed_6a.branch3x3", "layers.mixed_3.conv", 3, 3, 2, 0, 0);
        add.unit("Mixed_6a.branch3x3dbl_1", "layers.mixed_3.tower.conv", 1, 1, 1, 0, 0);
        add.unit("Mixed_6a.branch3x3dbl_2", "layers.mixed_3.tower.conv_1", 3, 3, 1, 1, 1);
        add.unit("Mixed_6a.branch3x3dbl_3", "layers.mixed_3.tower.conv_2", 3, 3, 2, 0, 0);
        String[][] c = {{"Mixed_6b", "layers.mixed_4"}, {"Mixed_6c", "layers.mixed_5"}, {"Mixed_6d", "layers.mixed_6"},
            {"Mixed_6e", "layers.mixed_7"}};
        for (String[] b : c) {
            String f = b[0] + ".";
            String s = b[1] + ".";
            add.unit(f + "branch1x1", s + "conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch7x7_1", s + "tower.conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch7x7_2", s + "tower.conv_1", 1, 7, 1, 0, 3);
            add.unit(f + "branch7x7_3", s + "tower.conv_2", 7, 1, 1, 3, 0);
            add.unit(f + "branch7x7dbl_1", s + "tower_1.conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch7x7dbl_2", s + "tower_1.conv_1", 7, 1, 1, 3, 0);
            add.unit(f + "branch7x7dbl_3", s + "tower_1.conv_2", 1, 7, 1, 0, 3);
            add.unit(f + "branch7x7dbl_4", s + "tower_1.conv_3", 7, 1, 1, 3, 0);
            add.unit(f + "branch7x7dbl_5", s + "tower_1.conv_4", 1, 7, 1, 0, 3);
            add.unit(f + "branch_pool", s + "tower_2.conv", 1, 1, 1, 0, 0);
        }
        add.unit("Mixed_7a.branch3x3_1", "layers.mixed_8.tower.conv", 1, 1, 1, 0, 0);
        add.unit("Mixed_7a.branch3x3_2", "layers.mixed_8.tower.conv_1", 3, 3, 2, 0, 0);
        add.unit("Mixed_7a.branch7x7x3_1", "layers.mixed_8.tower_1.conv", 1, 1, 1, 0, 0);
        add.unit("Mixed_7a.branch7x7x3_2", "layers.mixed_8.tower_1.conv_1", 1, 7, 1, 0, 3);
        add.unit("Mixed_7a.branch7x7x3_3", "layers.mixed_8.tower_1.conv_2", 7, 1, 1, 3, 0);
        add.unit("Mixed_7a.branch7x7x3_4", "layers.mixed_8.tower_1.conv_3", 3, 3, 2, 0, 0);
        String[][] e = {{"Mixed_7b", "layers.mixed_9"}, {"Mixed_7c", "layers.mixed_10"}};
        for (String[] b : e) {
            String f = b[0] + ".";
            String s = b[1] + ".";
            add.unit(f + "branch1x1", s + "conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch3x3_1", s + "tower_conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch3x3_2a", s + "tower_mixed_conv", 1, 3, 1, 0, 1);
            add.unit(f + "branch3x3_2b", s + "tower_mixed_conv_1", 3, 1, 1, 1, 0);
            add.unit(f + "branch3x3dbl_1", s + "tower_1_conv", 1, 1, 1, 0, 0);
            add.unit(f + "branch3x3dbl_2", s + "tower_1_conv_1", 3, 3, 1, 1, 1);
            add.unit(f + "branch3x3dbl_3a", s + "tower_1_mixed_conv", 1, 3, 1, 0, 1);
            add.unit(f + "branch3x3dbl_3b", s + "tower_1_mixed_conv_1", 3, 1, 1, 1, 0);
            add.unit(f + "branch_pool", s + "tower_2_conv", 1, 1, 1, 0, 0);
        }
        return Collections.unmodifiableMap(m);
    }

    /** pytorch-fid's tensor names of every unit, in order: conv weight, then bn weight, bias, running mean and variance. */
    public static List<String> fidTensorNames() {
        List<String> names = new ArrayList<>();
        for (Unit u : UNITS.values()) {
            for (String t : FID_SUFFIXES) names.add(u.fidName() + t);
        }
        return names;
    }

    /** The TorchScript file's attribute paths of every unit, in order: weight, beta, mean, var. */
    public static List<String> scriptTensorNames() {
        List<String> names = new ArrayList<>();
        for (Unit u : UNITS.values()) {
            for (String t : SCRIPT_SUFFIXES) names.add(u.scriptName() + t);
        }
        return names;
    }

    static final List<String> FID_SUFFIXES = List.of(".conv.weight", ".bn.weight", ".bn.bias", ".bn.running_mean", ".bn.running_var");
    static final List<String> SCRIPT_SUFFIXES = List.of(".weight", ".beta", ".mean", ".var");

    @FunctionalInterface
    private interface Adder {
        void unit(String fid, String script, int kh, int kw, int stride, int ph, int pw);
    }
}
