package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** Weights declared as inputs, fed on every run and owned by the caller. */
    private final Map<String, OnnxTensor> weightFeeds;
    private final List<String> outputNames;
    private final Map<String, String> settings;
    private final Runnable cleanup;
    /** Where the session's profiler writes, until {@link #profile} ends it; null when it does not profile. */
    private Path profileDir;
    private boolean closed;

    OrtExecutable(OrtEnvironment env, OrtSession session, List<DeclaredInput> inputs, Map<String, OnnxTensor> weightFeeds,
                  List<String> outputNames, Map<String, String> settings, Path profileDir, Runnable cleanup) {
        this.weightFeeds = weightFeeds;
        this.profileDir = profileDir;
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
            Map<String, OnnxTensor> all = new LinkedHashMap<>(weightFeeds);
            all.putAll(feeds);
            try (OrtSession.Result result = session.run(all)) {
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

    /** ORT's profiler has recorded every run since the session was made: the last one is this run. */
    @Override
    public Map<String, Double> profile(Map<String, HostTensor> inputs) {
        if (profileDir == null) {
            throw new UserError("this onnxruntime session does not profile: compile with CompileOptions.withProfiling(),"
                    + " and profile once");
        }
        run(inputs);
        Path file = null;
        try {
            file = Path.of(session.endProfiling());
            return OrtProfile.lastRun(file);
        } catch (OrtException e) {
            throw OrtErrors.userError("failed to end profiling", e);
        } finally {
            deleteProfile(file);
        }
    }

    private void deleteProfile(Path file) {
        try {
            if (file != null) Files.deleteIfExists(file);
            Files.deleteIfExists(profileDir);
        } catch (IOException e) {
            // A leftover temporary file is harmless.
        }
        profileDir = null;
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
            if (profileDir != null) {
                deleteProfile(Path.of(session.endProfiling()));
            }
            session.close();
        } catch (OrtException e) {
            throw OrtErrors.userError("failed to close the session", e);
        } finally {
            cleanup.run();
        }
    }
}
