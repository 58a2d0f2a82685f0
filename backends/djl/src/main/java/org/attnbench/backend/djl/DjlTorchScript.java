package org.attnbench.backend.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.backend.TorchScriptRuntime;
import org.attnbench.core.UserError;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** libtorch's TorchScript interpreter through DJL: loads an archive and runs its methods on the CPU. */
public final class DjlTorchScript implements TorchScriptRuntime {
    @Override
    public Module load(byte[] archive, String what) {
        PtNDManager manager = (PtNDManager) NDManager.newBaseManager("PyTorch");
        try {
            PtSymbolBlock block = JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
            return new Loaded(manager, block, what);
        } catch (EngineException e) {
            manager.close();
            throw new UserError("libtorch cannot load " + what + ": " + firstLine(e.getMessage()), e);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException(e);
        }
    }

    static String firstLine(String message) {
        if (message == null) return "no message";
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(message);
    }

    private record Loaded(PtNDManager manager, PtSymbolBlock block, String what) implements Module {
        @Override
        public List<HostTensor> run(String method, HostTensor... inputs) {
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager scope = manager.newSubManager()) {
                IValue[] args = new IValue[inputs.length];
                for (int i = 0; i < inputs.length; i++) args[i] = IValue.from((PtNDArray) Tensors.toNd(scope, inputs[i]));
                try (IValue out = IValueUtils.runMethod(block, method, args)) {
                    List<HostTensor> tensors = new ArrayList<>();
                    PtNDArray[] arrays = out.isTensor() ? new PtNDArray[] {out.toTensor((PtNDManager) scope)}
                            : out.toTensorArray((PtNDManager) scope);
                    for (PtNDArray a : arrays) {
                        HostTensor t = Tensors.toHost(a);
                        tensors.add(t.dtype().isFloatingPoint() ? t.toDType(DType.FLOAT32) : t);
                    }
                    return tensors;
                } finally {
                    for (IValue a : args) a.close();
                }
            } catch (EngineException e) {
                throw new UserError("libtorch cannot run " + method + " of " + what + ": " + firstLine(e.getMessage()), e);
            } finally {
                JniUtils.setGradMode(grad);
            }
        }

        @Override
        public void close() {
            block.close();
            manager.close();
        }
    }
}
