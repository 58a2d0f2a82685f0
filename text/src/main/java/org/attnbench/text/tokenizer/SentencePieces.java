package org.attnbench.text.tokenizer;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.attnbench.core.UserError;
import org.attnbench.models.pipeline.LinkStandIn;

/**
 * Pieces from a {@code spiece.model} through Google's SentencePiece (DJL's binding, natives in its
 * jar), as transformers' slow {@code T5Tokenizer} in its legacy mode uses it: the text is first split
 * on the special tokens (end, unknown, pad, {@code <extra_id_N>}), each its own id, and every other
 * part is encoded by SentencePiece with the model's own normalizer. T5 numbers its extra ids after
 * the model's pieces, {@code <extra_id_0>} last.
 */
final class SentencePieces implements T5Pieces {
    private static final Pattern EXTRA_ID = Pattern.compile("<extra_id_(\\d+)>");

    private final SpTokenizer tokenizer;
    private final SpProcessor processor;
    private final int pieceCount;
    private final Map<String, Long> specials;
    private final Pattern specialSplit;

    private SentencePieces(SpTokenizer tokenizer, int pieceCount, Path file, TokenizerConfig config) {
        this.tokenizer = tokenizer;
        this.processor = tokenizer.getProcessor();
        this.pieceCount = pieceCount;
        Map<Integer, String> added = config.addedTokens();
        Map<String, Long> ids = new HashMap<>();
        added.forEach((id, text) -> ids.put(text, (long) id));
        Set<String> all = new LinkedHashSet<>(List.of(config.token("eos_token", "</s>"), config.token("unk_token", "<unk>"),
                config.token("pad_token", "<pad>")));
        all.addAll(config.additionalSpecialTokens());
        all.addAll(added.values());
        int extraIds = config.integer("extra_ids", 100);
        this.specials = new HashMap<>();
        String unk = config.token("unk_token", "<unk>");
        for (String text : all) {
            Matcher extra = EXTRA_ID.matcher(text);
            long id;
            if (ids.containsKey(text)) id = ids.get(text);
            else if (extra.matches()) id = (long) pieceCount + extraIds - Integer.parseInt(extra.group(1)) - 1;
            else id = processor.getId(text);
            if (!ids.containsKey(text) && !extra.matches() && !text.equals(unk) && id == processor.getId(unk)) {
                throw new UserError("T5 tokenizer " + file + ": special token '" + text + "' is not a piece of the model");
            }
            specials.put(text, id);
        }
        this.specialSplit = Pattern.compile(all.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|")));
    }

    static SentencePieces open(Path file, TokenizerConfig config) {
        byte[] model;
        try {
            model = Files.readAllBytes(LinkStandIn.resolve(file));
        } catch (IOException e) {
            throw new UserError("cannot read T5 tokenizer model " + file + ": " + e.getMessage());
        }
        int pieces = pieceCount(model, file);
        DjlOffline.ensure();
        SpTokenizer tokenizer;
        try {
            tokenizer = new SpTokenizer(model);
        } catch (RuntimeException e) { // the library's parse error
            throw new UserError("T5 tokenizer model " + file + " is not a SentencePiece model: " + e.getMessage());
        }
        try {
            return new SentencePieces(tokenizer, pieces, file, config);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** How many pieces the model holds: the repeated field 1 of SentencePiece's ModelProto. */
    private static int pieceCount(byte[] model, Path file) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            int count = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 1) count++;
                in.skipField(tag);
            }
            if (count == 0) throw new UserError("T5 tokenizer model " + file + " holds no pieces");
            return count;
        } catch (IOException e) {
            throw new UserError("T5 tokenizer model " + file + " is not a SentencePiece model: " + e.getMessage());
        }
    }

    @Override
    public long[] encode(String text) {
        LongStream.Builder ids = LongStream.builder();
        Matcher special = specialSplit.matcher(text);
        int at = 0;
        while (special.find()) {
            encodePlain(text.substring(at, special.start()), ids);
            ids.add(specials.get(special.group()));
            at = special.end();
        }
        encodePlain(text.substring(at), ids);
        return ids.build().toArray();
    }

    private void encodePlain(String part, LongStream.Builder ids) {
        if (part.isEmpty()) return;
        for (int id : processor.encode(part)) ids.add(id);
    }

    @Override
    public long id(String token) {
        Long id = specials.get(token);
        return id != null ? id : processor.getId(token);
    }

    @Override
    public String decode(long[] ids) {
        return processor.decode(Arrays.stream(ids).filter(id -> id < pieceCount).mapToInt(id -> (int) id).toArray());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
