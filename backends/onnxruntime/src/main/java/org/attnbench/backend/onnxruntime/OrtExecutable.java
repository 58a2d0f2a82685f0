package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;

/** One ORT session. Inputs are checked against the graph's declarations before ORT sees them. */
final class OrtExecutable implements Executable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<DeclaredInput> inputs;
    private final List<String> outputNames;
    private final Map<String, String> settings;
    private final Runnable cleanup;
    private boolean closed;

    OrtExecutable(OrtEnvironment env, OrtSession session, List<DeclaredInput> inputs, List<String> outputNames,
                  Map<String, String> settings, Runnable cleanup) {
        this.env = env;
        this.session = session;
        this.inputs = inputs;
        this.outputNames = outputNames;
        this.settings = settings;
        this.cleanup = cleanup;
    }

    @Override
    public List<String> inputNames() {
        return inputs.stream().map(DeclaredInput::name).toList();
    }

    @Override
    public List<String> outputNames() {
        return outputNames;
    }

    @Override
    public Map<String, HostTensor> run(Map<String, HostTensor> given) {
        checkInputs(given);
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (DeclaredInput in : inputs) feeds.put(in.name(), OrtTensors.toOrt(env, given.get(in.name())));
            try (OrtSession.Result result = session.run(feeds)) {
                Map<String, HostTensor> out = new LinkedHashMap<>();
                for (String name : outputNames) {
                    out.put(name, OrtTensors.toHost(name, result.get(name).orElseThrow(() ->
                            new UserError("ONNX Runtime returned no output '" + name + "'"))));
                }
                return out;
            }
        } catch (OrtException e) {
            throw OrtErrors.userError("failed to run the graph", e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private void checkInputs(Map<String, HostTensor> given) {
        String expected = String.join(", ", inputNames());
        for (String name : given.keySet()) {
            if (!inputNames().contains(name)) {
                throw new UserError("the graph has no input '" + name + "': its inputs are " + expected);
            }
        }
        for (DeclaredInput in : inputs) {
            HostTensor t = given.get(in.name());
            if (t == null) throw new UserError("missing input '" + in.name() + "': the graph's inputs are " + expected);
            in.check(t);
        }
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw OrtErrors.userError("failed to close the session", e);
        } finally {
            cleanup.run();
        }
    }
}
