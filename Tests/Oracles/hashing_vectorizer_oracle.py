#!/usr/bin/env python3
"""scikit-learn's HashingVectorizer and murmurhash3_32 on a fixed corpus
(issue 18, the model-free embedder): accents composed and decomposed,
Greek final sigma, Turkish dotted I, CJK, emoji, Arabic, digits in other
scripts, underscores, control characters, Unicode spaces, one-letter
words, empty and whitespace-only texts, long words.

Writes Tests/EvalTests/Fixtures/hashing/expected.json: per configuration,
TF-IDF over hashed counts (TfidfTransformer's defaults, fitted on the
corpus: each row and the idf of its buckets),
each text's buckets and values (the CSR row; counts where norm=None,
which keeps the file small, L2-normalized in the others), and murmurhash3_32 (seed 0,
signed) of a list of strings.

Usage: pip install scikit-learn; python3 Tests/Oracles/hashing_vectorizer_oracle.py
"""
import json, os
import numpy as np
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.utils import murmurhash3_32

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "hashing")
os.makedirs(out, exist_ok=True)

texts = [
    "The quick brown fox jumps over the lazy dog.",
    "the the the THE The",
    "", " ", "\t\n  \r\n", "a", "I a x y z", "ab",
    "Café crème brûlée", "Cafe\u0301 cre\u0300me",  # composed and decomposed accents
    "ΟΔΟΣ ΣΑΣ. Σ σ ς ΣΑΣΣ", "İstanbul IŞIK ılık",
    "東京都は日本の首都です", "안녕하세요 세계", "مرحبا بالعالم", "Привет, мир! ЁЖИК",
    "emoji 😀😀 thumbs 👍🏽 flags 🇫🇷 zwj 👩‍💻 done",
    "snake_case_name __init__ _x x_", "digits 42 ٤٢ ४२ ½ ² Ⅻ 3.14 1e-9",
    "tab\tsep\u00a0nbsp\u2003em\u3000ideo\u2028line\u0085nel\u001cfs\u001fus end",
    "zero\u200bwidth join\u200dER",
    "ctrl\x00\x01\x07chars\x7f here",
    "hyphen-ated, apostrophe's, quotes \"x\", (paren) [br] {cu} <an>",
    "URL https://example.com/a?b=c&d=e#f and e-mail a.b@c.de",
    "x" * 120 + " " + "long" * 40,
    "ǅungla ǈ ǋ ẞ ß ﬁ ﬂ",
    "Ω ω Ωmega K Å",
    "mixed123abc 123 abc123 ١٢٣abc",
    "ﾊﾝｶｸ full-width ＡＢＣ１２３",
    "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก", "ᚠᛇᚻ᛫ᛒᛦᚦ",
    "repeat repeat repeat repeat different",
    "  leading and trailing spaces  ",
    "new\nline\r\nwindows\rmac",
    "combining a\u0308b\u0301c d\u0323\u0307",
    "Ǆ ǅ ǆ dž",
]
rng = np.random.default_rng(18)
words = ["data", "label", "human", "synthetic", "noise", "class", "model", "vector", "hash", "text", "ünïcödé", "日本"]
for i in range(20):
    n = int(rng.integers(1, 25))
    texts.append(" ".join(rng.choice(words, size=n)) + ("" if i % 3 else "!"))

configs = {
    "word_default": dict(),
    "word_bigrams_1024": dict(ngram_range=(1, 2), n_features=1024, norm=None),
    "word_2_3_no_sign": dict(ngram_range=(2, 3), n_features=4096, alternate_sign=False, norm=None),
    "char_wb_2_4_512": dict(analyzer="char_wb", ngram_range=(2, 4), n_features=512, norm=None),
    "char_wb_1_3_cased": dict(analyzer="char_wb", ngram_range=(1, 3), n_features=2 ** 18, lowercase=False, norm=None),
    "char_wb_3_5_small": dict(analyzer="char_wb", ngram_range=(3, 5), n_features=7),
}
expected = {"sklearn": sklearn.__version__, "texts": texts, "configs": {}, "murmurhash3_32": {}}
for name, kw in configs.items():
    v = HashingVectorizer(**kw)
    m = v.transform(texts).tocsr()
    m.sort_indices()
    rows = []
    for r in range(m.shape[0]):
        lo, hi = m.indptr[r], m.indptr[r + 1]
        values = [float(x) for x in m.data[lo:hi]]
        rows.append({"indices": [int(i) for i in m.indices[lo:hi]],
                     "values": [int(x) if kw.get("norm", "l2") is None else x for x in values]})
    options = {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items() if k != "norm"}
    options["normalize"] = kw.get("norm", "l2") == "l2"
    expected["configs"][name] = {"options": options, "rows": rows}
expected["tfidf"] = {}
for name, kw in {"word_4096": dict(n_features=4096, alternate_sign=False),
                 "char_wb_2_3_64_signed": dict(analyzer="char_wb", ngram_range=(2, 3), n_features=64)}.items():
    counts = HashingVectorizer(norm=None, **kw).transform(texts)
    t = TfidfTransformer().fit(counts)
    m = t.transform(counts).tocsr()
    m.sort_indices()
    rows = []
    for r in range(m.shape[0]):
        lo, hi = m.indptr[r], m.indptr[r + 1]
        rows.append({"indices": [int(i) for i in m.indices[lo:hi]], "values": [float(x) for x in m.data[lo:hi]]})
    options = {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()}
    used = sorted({i for row in rows for i in row["indices"]})
    expected["tfidf"][name] = {"options": options, "rows": rows, "idf": {str(i): float(t.idf_[i]) for i in used},
                               "unseen_idf": float(t.idf_[[i for i in range(t.idf_.shape[0]) if i not in set(used)][0]]) if len(used) < t.idf_.shape[0] else None}
for s in ["", "a", "ab", "abc", "abcd", "abcde", "hello world", "Café", "日本語", "😀", "the quick brown fox", "x" * 1000]:
    expected["murmurhash3_32"][s] = int(murmurhash3_32(s, seed=0))
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, ensure_ascii=False, sort_keys=True)
    f.write("\n")
print("wrote", os.path.join(out, "expected.json"))
