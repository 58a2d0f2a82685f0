package org.attnbench.text.tokenizer;

import static java.util.regex.Pattern.CASE_INSENSITIVE;
import static java.util.regex.Pattern.UNICODE_CASE;
import static java.util.regex.Pattern.UNICODE_CHARACTER_CLASS;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.attnbench.core.UserError;
import org.attnbench.models.pipeline.JsonFiles;
import org.attnbench.models.pipeline.LinkStandIn;

/**
 * CLIP's byte-level BPE as transformers' {@code CLIPTokenizer} applies it to a folder's
 * {@code vocab.json} and {@code merges.txt}:
 * <ol>
 * <li>the text is split on the added and special tokens (start, end, unknown and pad, longest
 * first), each of which is its own id: with SD 2.x's pad token {@code !} every {@code !} of a prompt
 * is id 0, not BPE's {@code !</w>};</li>
 * <li>every other piece is NFC-normalized, its whitespace runs made one space and trimmed, and
 * lower-cased, then cut by CLIP's pattern into words;</li>
 * <li>each word's UTF-8 bytes become printable characters ({@code bytes_to_unicode}), its last one
 * marked {@code </w>}, and adjacent symbols are merged by the merges' ranks, lowest first;</li>
 * <li>the ids are framed by the start and end tokens, cut to the length and padded with the pad id.</li>
 * </ol>
 * Written here rather than taken from a library: no library reads this folder layout (Hugging Face's
 * tokenizers, through DJL, loads only a {@code tokenizer.json}, which real CLIP folders lack), so
 * using one would mean writing out transformers' converter to such a file, the same rules in
 * another form, with its fast tokenizer's own reading of special tokens. The ids are held to the
 * golden cases and to real transformers' on cases of our own. transformers cleans text with ftfy's
 * {@code fix_text} when ftfy is installed; this applies its Unicode normalization (NFC) only, as
 * transformers' tokenizers-backed CLIP tokenizer does.
 */
public final class ClipTokenizer implements PromptTokenizer {
    static final String VOCAB = "vocab.json";
    static final String MERGES = "merges.txt";
    /** transformers reads at most this many merges after merges.txt's version line (CLIP's 49152 − 256 − 2). */
    private static final int MAX_MERGES = 49152 - 256 - 2;
    private static final String END_OF_WORD = "</w>";
    private static final String START = "<|startoftext|>";
    private static final String END = "<|endoftext|>";
    /** CLIP's word pattern (ignoring case, as transformers compiles it). */
    private static final Pattern WORDS = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            CASE_INSENSITIVE | UNICODE_CASE | UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", UNICODE_CHARACTER_CLASS);

    private final Path folder;
    private final Map<String, Integer> vocab;
    private final Map<Integer, String> tokenOf;
    private final Map<String, Integer> ranks;
    /** Added and special tokens: their text to their id. */
    private final Map<String, Integer> specials;
    private final Pattern specialSplit;
    private final int bos;
    private final int eos;
    private final int pad;
    private final int unk;
    private final int modelMaxLength;
    private final Map<String, List<String>> cache = new HashMap<>();

    private ClipTokenizer(Path folder, Map<String, Integer> vocab, Map<String, Integer> ranks, TokenizerConfig config) {
        this.folder = folder;
        this.vocab = vocab;
        this.tokenOf = new HashMap<>();
        vocab.forEach((token, id) -> tokenOf.put(id, token));
        this.ranks = ranks;
        String bosText = config.token("bos_token", START);
        String eosText = config.token("eos_token", END);
        String unkText = config.token("unk_token", END);
        String padText = config.token("pad_token", END);
        Map<Integer, String> added = config.addedTokens();
        Map<String, Integer> ids = new HashMap<>();
        added.forEach((id, text) -> ids.put(text, id));
        Set<String> all = new LinkedHashSet<>(List.of(bosText, eosText, unkText, padText));
        all.addAll(added.values());
        all.addAll(config.additionalSpecialTokens());
        this.specials = new HashMap<>();
        for (String text : all) specials.put(text, ids.containsKey(text) ? ids.get(text) : idOf(text));
        // PreTrainedTokenizer.tokenize splits on every added token, longest first.
        this.specialSplit = Pattern.compile(all.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|")));
        this.bos = specials.get(bosText);
        this.eos = specials.get(eosText);
        this.pad = specials.get(padText);
        this.unk = specials.get(unkText);
        this.modelMaxLength = config.integer("model_max_length", 77);
    }

    /** The tokenizer of a folder holding vocab.json, merges.txt and tokenizer_config.json. */
    public static ClipTokenizer open(Path folder) {
        return new ClipTokenizer(folder, readVocab(folder.resolve(VOCAB)), readMerges(folder.resolve(MERGES)),
                TokenizerConfig.read(folder));
    }

    private int idOf(String special) {
        Integer id = vocab.get(special);
        if (id == null) throw new UserError("tokenizer folder " + folder + ": special token '" + special + "' is not in " + VOCAB);
        return id;
    }

    @Override
    public int modelMaxLength() {
        return modelMaxLength;
    }

    @Override
    public TokenBatch encode(List<String> prompts, int maxLength) {
        if (maxLength < 2) throw new UserError("a CLIP prompt length must be at least 2 (start and end), got " + maxLength);
        long[][] ids = new long[prompts.size()][maxLength];
        long[][] mask = new long[prompts.size()][maxLength];
        List<String> truncated = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            List<Integer> tokens = tokenize(prompts.get(p));
            int kept = Math.min(tokens.size(), maxLength - 2);
            ids[p][0] = bos;
            for (int i = 0; i < kept; i++) ids[p][1 + i] = tokens.get(i);
            ids[p][kept + 1] = eos;
            for (int i = kept + 2; i < maxLength; i++) ids[p][i] = pad;
            for (int i = 0; i < kept + 2; i++) mask[p][i] = 1;
            truncated.add(decode(tokens.subList(kept, tokens.size())));
        }
        return new TokenBatch(ids, mask, truncated);
    }

    /** The ids of a text without the start and end tokens. */
    List<Integer> tokenize(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher special = specialSplit.matcher(text);
        int at = 0;
        while (special.find()) {
            tokenizePlain(text.substring(at, special.start()), ids);
            ids.add(specials.get(special.group()));
            at = special.end();
        }
        tokenizePlain(text.substring(at), ids);
        return ids;
    }

    private void tokenizePlain(String piece, List<Integer> ids) {
        if (piece.isEmpty()) return;
        Matcher words = WORDS.matcher(clean(piece));
        while (words.find()) {
            for (String symbol : bpe(ByteLevel.encode(words.group()))) ids.add(vocab.getOrDefault(symbol, unk));
        }
    }

    /** ftfy's normalization (NFC), whitespace runs to one space, trimmed, lower-cased: CLIPTokenizer._tokenize. */
    static String clean(String text) {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        return WHITESPACE.matcher(nfc).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The word's symbols after merging, lowest rank first, each occurrence left to right. The start
     * and end tokens written in lower or upper case are words of CLIP's pattern, which CLIPTokenizer's
     * BPE cache, seeded with them, returns whole: they become the special ids.
     */
    private List<String> bpe(String word) {
        if (word.equals(START) || word.equals(END)) return List.of(word);
        List<String> cached = cache.get(word);
        if (cached != null) return cached;
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < word.length() - 1; i++) symbols.add(String.valueOf(word.charAt(i)));
        symbols.add(word.charAt(word.length() - 1) + END_OF_WORD);
        while (symbols.size() > 1) {
            int best = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i < symbols.size() - 1; i++) {
                Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (rank != null && rank < best) {
                    best = rank;
                    first = symbols.get(i);
                    second = symbols.get(i + 1);
                }
            }
            if (first == null) break;
            List<String> merged = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i < symbols.size() - 1 && symbols.get(i).equals(first) && symbols.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        List<String> result = List.copyOf(symbols);
        cache.put(word, result);
        return result;
    }

    /** Ids back to text, as CLIPTokenizer decodes them (for the truncation warning). */
    String decode(List<Integer> ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) symbols.append(tokenOf.getOrDefault(id, ""));
        byte[] bytes = ByteLevel.decode(symbols.toString());
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
            return text.replace(END_OF_WORD, " ").strip();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e); // REPLACE never throws
        }
    }

    @Override
    public void close() {
        // nothing native: the vocabulary is plain Java
    }

    private static Map<String, Integer> readVocab(Path file) {
        JsonObject json = JsonFiles.readObject(file, "CLIP vocabulary");
        Map<String, Integer> vocab = new HashMap<>(json.size() * 2);
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            JsonElement id = e.getValue();
            if (!id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
                throw new UserError("CLIP vocabulary " + file + " maps '" + e.getKey() + "' to " + id + ", not to an id");
            }
            vocab.put(e.getKey(), id.getAsInt());
        }
        return vocab;
    }

    /** merges.txt: a version line, then "first second" per line, in rank order. */
    private static Map<String, Integer> readMerges(Path file) {
        List<String> lines;
        try {
            lines = List.of(Files.readString(LinkStandIn.resolve(file), StandardCharsets.UTF_8).strip().split("\n"));
        } catch (IOException e) {
            throw new UserError("cannot read CLIP merges " + file + ": " + e.getMessage());
        }
        Map<String, Integer> ranks = new HashMap<>();
        int end = Math.min(lines.size(), MAX_MERGES + 1);
        for (int i = 1; i < end; i++) {
            String[] pair = lines.get(i).strip().split("\\s+");
            if (pair.length != 2) {
                throw new UserError("CLIP merges " + file + " line " + (i + 1) + " is not two symbols: '" + lines.get(i) + "'");
            }
            ranks.put(pair[0] + " " + pair[1], i - 1); // a repeated merge takes its last rank, as a Python dict does
        }
        return ranks;
    }
}
