#!/usr/bin/env python3
"""Token ids made by real transformers for attnbench's tokenizer tests (TokenizerCasesTest).

Each case is one prompt through one tokenizer folder of shared/golden/text, called as diffusers' pipelines call
it: padding="max_length", max_length=L, truncation=True. The reference ids ("ids") are those of the class the
folder's pipeline names in model_index.json, as transformers 4.57.6 loads it (CLIPTokenizer: the Python class,
with ftfy installed; T5Tokenizer: sentencepiece, legacy; T5TokenizerFast: tokenizer.json). "by" holds every
library's ids for the same call (transformers 4.57.6 slow and fast, transformers 5.18.0), so a case where they
disagree says so. "ftfy_changes" says whether ftfy.fix_text changes the prompt beyond NFC: transformers 4's Python
CLIPTokenizer then cleans it with ftfy, while its fast tokenizer and transformers 5's CLIPTokenizer apply NFC only.

  python make_tokenizer_cases.py make GOLDEN_TEXT_DIR OUT.json PYTHON_4_57 PYTHON_5_18
  python make_tokenizer_cases.py ids GOLDEN_TEXT_DIR            (one python's ids as JSON on stdout)

The pythons: venvs with `pip install transformers==VERSION tokenizers sentencepiece ftfy protobuf`. transformers
4.57.6 asks for huggingface-hub < 1.0, which the local package store lacks; its venv had hub 1.33 with the
version check in transformers/dependency_versions_table.py relaxed (tokenizers read local files only here).
"""
import json, os, shutil, subprocess, sys, tempfile

# tokenizer folder (relative to GOLDEN_TEXT_DIR) -> the class its pipeline's model_index.json names
FOLDERS = {
    "sd15/tokenizer": "CLIPTokenizer",     # pad <|endoftext|>, AddedToken dicts
    "sd2/tokenizer": "CLIPTokenizer",      # pad "!", added_tokens_decoder
    "sdxl/tokenizer_2": "CLIPTokenizer",   # pad "!", AddedToken dicts
    "sd3/tokenizer_3": "T5TokenizerFast",  # spiece.model + tokenizer.json
    "pixart-sigma/tokenizer": "T5Tokenizer",  # spiece.model only
}

LONG = ("A sweeping panoramic matte painting of a desert caravan crossing endless golden dunes at sunset, camels draped "
        "in embroidered blankets, merchants in flowing indigo robes, lanterns swinging from wooden poles, a ruined "
        "sandstone temple half buried in the sand, its columns carved with forgotten symbols. ")
COMMON = [
    "Crème brûlée",
    "Cre\u0300me bru\u0302le\u0301e",                     # decomposed accents: NFC composes them
    "東京の夜景、ネオンサイン",
    "a cat 🐱 wearing a top hat 🎩 and a family 👨‍👩‍👧",
    "ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ",
    "Straße İstanbul ǅemal",
    "Москва ночью, مرحبا بالعالم, नमस्ते",
    "numbers 1985 3.14 ١٢٣ ½ Ⅻ",
    "It's I'M we'LL they'Re you'VE she'D",
    LONG * 4,
    "",
    "   ",
    " \t\n ",
    "\u00a0\u2003 x \u3000",
    "line one\nline two\tTabbed",
    "a\u200bb zero\u200dwidth",
    "“curly quotes” and ‘single’",
    "ﬁne ligatures and ＦＵＬＬ ｗｉｄｔｈ",
]
CLIP_ONLY = [
    "a photo <|endoftext|> of a cat",
    "<|startoftext|>hello<|endoftext|>",
    "cat<|endoftext|>dog",
    "an <|ENDOFTEXT|> in capitals",
    "!",
    "wow!!! amazing!",
    "hello ! world",
    "!!!!!",
    "f/1.8 — (yin & yang) #tag @user",
]
T5_ONLY = [
    "a </s> inside",
    "<pad> and <unk>",
    "  leading and trailing spaces  ",
    "many     inner    spaces",
]


def cases():
    out = []
    for folder, cls in FOLDERS.items():
        if cls.startswith("CLIP"):
            out += [(folder, p, 77) for p in COMMON + CLIP_ONLY]
        else:
            out += [(folder, p, 77) for p in COMMON + T5_ONLY]
            out += [(folder, LONG * 8, 512), (folder, LONG, 16)]
    return out


def materialize(golden, folder, into):
    """A copy of the tokenizer folder with git's link stand-ins (files holding a relative path) followed."""
    src, dst = os.path.join(golden, folder), os.path.join(into, folder)
    os.makedirs(dst)
    for name in os.listdir(src):
        path = os.path.join(src, name)
        if os.path.getsize(path) < 1024:
            text = open(path, "rb").read().decode("utf-8", "replace").strip()
            target = os.path.normpath(os.path.join(src, text))
            if text and not text.startswith(("{", "[")) and os.path.isfile(target):
                path = target
        shutil.copy(path, os.path.join(dst, name))
    return dst


def ids_here(golden):
    import transformers
    from transformers import CLIPTokenizer, T5Tokenizer, T5TokenizerFast
    version = transformers.__version__
    loaders = {"CLIP": [("CLIPTokenizer", CLIPTokenizer)], "T5": [("T5Tokenizer", T5Tokenizer), ("T5TokenizerFast", T5TokenizerFast)]}
    if version.startswith("4."):
        from transformers import CLIPTokenizerFast
        loaders["CLIP"].append(("CLIPTokenizerFast", CLIPTokenizerFast))
    tmp = tempfile.mkdtemp()
    result = {}
    for folder, cls in FOLDERS.items():
        local = materialize(golden, folder, tmp)
        for name, loader in loaders["CLIP" if cls.startswith("CLIP") else "T5"]:
            tok = loader.from_pretrained(local)
            label = f"transformers {version} {name}" + (" (ftfy)" if name == "CLIPTokenizer" and version.startswith("4.")
                                                      and getattr(tok, "fix_text", None) is not None else "")
            for f, prompt, length in cases():
                if f != folder:
                    continue
                enc = tok(prompt, padding="max_length", max_length=length, truncation=True)
                key = json.dumps([folder, prompt, length], ensure_ascii=False)
                result.setdefault(key, {})[label] = {"ids": enc.input_ids, "mask": enc.attention_mask, "class": name}
                if version.startswith("4."):
                    import ftfy, unicodedata
                    result[key]["ftfy_changes"] = ftfy.fix_text(prompt) != unicodedata.normalize("NFC", prompt)
    shutil.rmtree(tmp)
    return result


def make(golden, out, py4, py5):
    by = {}
    for py in (py4, py5):
        text = subprocess.run([py, __file__, "ids", golden], check=True, capture_output=True, text=True).stdout
        for key, labels in json.loads(text).items():
            by.setdefault(key, {}).update(labels)
    rows = []
    for folder, prompt, length in cases():
        libs = dict(by[json.dumps([folder, prompt, length], ensure_ascii=False)])
        ftfy_changes = libs.pop("ftfy_changes")
        reference = next(v for k, v in libs.items() if k.startswith("transformers 4.57.6 ") and v["class"] == FOLDERS[folder])
        rows.append({"tokenizer": folder, "class": FOLDERS[folder], "max_length": length, "prompt": prompt,
                     "ids": reference["ids"], "mask": reference["mask"],
                     "agree": all(v["ids"] == reference["ids"] for v in libs.values()), "ftfy_changes": ftfy_changes,
                     "by": {k: v["ids"] for k, v in sorted(libs.items())}})
    json.dump({"comment": __doc__.strip().split("\n")[0], "cases": rows}, open(out, "w", encoding="utf-8"),
              ensure_ascii=False, indent=1)
    print(f"{len(rows)} cases, {sum(not r['agree'] for r in rows)} where the libraries disagree")


if __name__ == "__main__":
    if sys.argv[1] == "ids":
        print(json.dumps(ids_here(sys.argv[2]), ensure_ascii=False))
    else:
        make(*sys.argv[2:6])
