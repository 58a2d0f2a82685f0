package org.attnbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipOutputStream;
import org.attnbench.torchscript.TorchScriptArchive;

/**
 * libtorch's own fused attention, {@code torch.nn.functional.scaled_dot_product_attention}
 * (flash-style on the CPU since PyTorch 2.1), reached from DJL, whose JNI does not expose it.
 *
 * <p>DJL can load and run TorchScript modules, so this writes the smallest TorchScript archive
 * whose forward calls that op (a zip of the module's code, its pickled object and the format
 * version) and loads it once per process. The module holds no tensors: it is just the call.
 */
final class TorchSdpa {
    /** TorchScript source of a module: the op with its query, key, value, additive mask (or none) and softmax scale. */
    private static String code(boolean masked) {
        String cls = className(masked);
        return "class " + cls + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__." + cls + ",\n"
                + "    query: Tensor,\n"
                + "    key: Tensor,\n"
                + "    value: Tensor,\n"
                + (masked ? "    mask: Tensor,\n" : "")
                + "    scale: float) -> Tensor:\n"
                + "    return torch.scaled_dot_product_attention(query, key, value, " + (masked ? "mask" : "None")
                + ", 0., False, scale=scale)\n";
    }

    private static String className(boolean masked) {
        return masked ? "SdpaMasked" : "Sdpa";
    }

    private static final PtSymbolBlock[] MODULES = new PtSymbolBlock[2];

    private TorchSdpa() {}

    /** softmax(q·kᵀ·scale)·v over [B,H,S,d] query and [B,H,L,d] key and value, on the inputs' device. */
    static NDArray attention(NDArray q, NDArray k, NDArray v, double scale, NDManager manager) {
        try (IValue iq = IValue.from((PtNDArray) q);
             IValue ik = IValue.from((PtNDArray) k);
             IValue iv = IValue.from((PtNDArray) v);
             IValue is = IValue.from(scale);
             IValue out = module(false).forward(iq, ik, iv, is)) {
            return out.toTensor((PtNDManager) manager);
        }
    }

    /** As above with an additive mask on the scores, broadcast to [B,H,S,L] (e.g. [B,1,1,L]), of the query's dtype. */
    static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, double scale, NDManager manager) {
        try (IValue iq = IValue.from((PtNDArray) q);
             IValue ik = IValue.from((PtNDArray) k);
             IValue iv = IValue.from((PtNDArray) v);
             IValue im = IValue.from((PtNDArray) mask);
             IValue is = IValue.from(scale);
             IValue out = module(true).forward(iq, ik, iv, im, is)) {
            return out.toTensor((PtNDManager) manager);
        }
    }

    private static synchronized PtSymbolBlock module(boolean masked) {
        int at = masked ? 1 : 0;
        if (MODULES[at] == null) {
            // A manager of its own that stays open: the module outlives every graph's manager.
            PtNDManager owner = (PtNDManager) NDManager.newBaseManager("PyTorch");
            try {
                MODULES[at] = JniUtils.loadModule(owner, new ByteArrayInputStream(archive(masked)), false, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return MODULES[at];
    }

    /** The TorchScript archive: code, the pickled module object (training=False), constants, version. */
    static byte[] archive(boolean masked) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            TorchScriptArchive.store(z, "sdpa/data.pkl", moduleObject(className(masked)));
            TorchScriptArchive.store(z, "sdpa/code/__torch__.py", code(masked).getBytes(StandardCharsets.UTF_8));
            TorchScriptArchive.store(z, "sdpa/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            TorchScriptArchive.store(z, "sdpa/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    /** Pickle protocol 2 of {@code __torch__.CLASS} with its one attribute, training = False. */
    private static byte[] moduleObject(String cls) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});                                       // PROTO 2
        p.writeBytes(("c__torch__\n" + cls + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL class
        p.writeBytes(new byte[] {')', (byte) 0x81});                                    // () NEWOBJ
        p.writeBytes(new byte[] {'}', 'X', 8, 0, 0, 0});                                // {} and a BINUNICODE of 8 bytes
        p.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {(byte) 0x89, 's', 'b', '.'});                          // False SETITEM BUILD STOP
        return p.toByteArray();
    }
}
