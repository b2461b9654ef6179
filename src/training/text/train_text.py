"""Trains Norae's Korean text-emotion net (called by train-text.ts; not meant to be run by hand).

    train_text.py cv    SETTINGS.json OUT_DIR              every candidate config, 5 folds: out-of-fold predictions
    train_text.py final SETTINGS.json OUT_DIR CONFIG_NAME  one config on every row: weights + parity outputs

Input (written by train-text.ts, features by the app's own `textFeatureIndices`):
  CACHE/features-KEY/indices.u32, offsets.u32  the hashed n-gram rows of every text (offsets: n + 1)
  CACHE/targets.f32  n × 14: soft emotion target (8, EMOTIONS order), valence, arousal,
                     emotion mask, arousal mask, corpus (0 KOTE, 1 NSMC, 2 seed), fold
                     (-1 for seed rows: in every fold's training set, in no fold's test set)
  CACHE/parity-KEY/indices.u32, offsets.u32  the texts of the TypeScript parity check

The net (what src/core/text/text-model.ts `runTextModel` computes): the mean of the text's
embedding rows (an EmbeddingBag; written as a weighted sum with weights 1/count so that feature
dropout keeps it a mean of the kept rows) → optional ReLU hidden layer → emotion logits (8) and
tanh(affect) (valence, arousal).

Loss per row: KOTE and seed — soft-target cross-entropy on the emotion head + squared error on
valence and arousal; NSMC — squared error on valence only. Rows weigh by corpus (`balance`:
"equal" makes each corpus half of the corpora's loss, "natural" weighs every corpus row the
same); the seed rows together weigh `seedLossShare` of the whole loss, whatever the balance.

Output (cv): OUT/oof-NAME.f32 (n × 10: 8 logits, valence, arousal, each row predicted by the
model of the fold that did not train on it), OUT/cv.json. Output (final): OUT/weights.f16 (the
tensors in weights.bin order, little-endian float16), OUT/parity-f32.f32 and parity-f16.f32
(m × 10 for the parity texts, from the float32 weights and from the float16-rounded ones),
OUT/final.json.
"""

import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 8
COLUMNS = 14


def log(*args):
    print("[train_text]", *args, flush=True)


class TextNet(nn.Module):
    def __init__(self, buckets, dim, hidden):
        super().__init__()
        self.embedding = nn.EmbeddingBag(buckets, dim, mode="sum", sparse=True)
        nn.init.uniform_(self.embedding.weight, -1.0 / dim, 1.0 / dim)
        self.hidden = nn.Linear(dim, hidden) if hidden > 0 else None
        top = hidden if hidden > 0 else dim
        self.emotion = nn.Linear(top, CLASSES)
        self.affect = nn.Linear(top, 2)

    def forward(self, flat, offsets, weights):
        x = self.embedding(flat, offsets, per_sample_weights=weights)
        if self.hidden is not None:
            x = F.relu(self.hidden(x))
        return self.emotion(x), torch.tanh(self.affect(x))

    def tensors(self):
        """The weights in weights.bin order (expectedTextTensors): nn.Linear's [out, in] layout."""
        out = [("embedding", self.embedding.weight)]
        if self.hidden is not None:
            out += [("hidden.weight", self.hidden.weight), ("hidden.bias", self.hidden.bias)]
        out += [("emotion.weight", self.emotion.weight), ("emotion.bias", self.emotion.bias),
                ("affect.weight", self.affect.weight), ("affect.bias", self.affect.bias)]
        return [(n, t.detach().numpy().astype(np.float32)) for n, t in out]


class Features:
    def __init__(self, folder):
        self.indices = np.fromfile(os.path.join(folder, "indices.u32"), dtype="<u4").astype(np.int64)
        self.offsets = np.fromfile(os.path.join(folder, "offsets.u32"), dtype="<u4").astype(np.int64)
        self.lengths = np.diff(self.offsets)

    def batch(self, rows, rng=None, dropout=0.0):
        """EmbeddingBag inputs for `rows`: each kept index weighs 1 / (kept indices of its text).
        Dropout removes each index with probability `dropout` (a text that would lose them all
        keeps them all)."""
        lengths = self.lengths[rows]
        flat = np.concatenate([self.indices[self.offsets[r]:self.offsets[r + 1]] for r in rows]) if len(rows) else np.zeros(0, np.int64)
        seg = np.repeat(np.arange(len(rows)), lengths)
        if dropout > 0 and len(flat):
            keep = rng.random(len(flat)) >= dropout
            kept = np.bincount(seg[keep], minlength=len(rows))
            keep |= kept[seg] == 0
            flat, seg = flat[keep], seg[keep]
        count = np.bincount(seg, minlength=len(rows))
        offsets = np.concatenate([[0], np.cumsum(count)[:-1]])
        weights = (1.0 / np.maximum(count, 1))[seg]
        return torch.from_numpy(flat), torch.from_numpy(offsets.astype(np.int64)), torch.from_numpy(weights.astype(np.float32))


SEED = 2


def row_weights(corpus, rows, balance, seed_share):
    """Per-row loss weights of a training set: the corpus rows weigh `m` in all (m of them),
    split by `balance`; the seed rows share seed_share / (1 - seed_share) · m equally, so that
    they are `seed_share` of the total."""
    c = corpus[rows]
    w = np.ones(len(rows), np.float32)
    corpora = c != SEED
    m = int(corpora.sum())
    if balance == "equal":
        for k in (0, 1):
            n = (c == k).sum()
            if n:
                w[c == k] = 0.5 * m / n
    elif balance != "natural":
        raise ValueError(f"unknown balance {balance}")
    s = int((c == SEED).sum())
    if s:
        w[c == SEED] = seed_share / (1 - seed_share) * float(w[corpora].sum()) / s
    return w


def seed_row_weight(corpus, rows, cfg, training):
    """The weight row_weights gives each seed row of a training set (0 without seed rows), for train-text.ts to check."""
    w = row_weights(corpus, rows, cfg["balance"], training["seedLossShare"])
    s = corpus[rows] == SEED
    return float(w[s][0]) if s.any() else 0.0


def train(cfg, training, feats, targets, rows, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = TextNet(cfg["buckets"], cfg["dim"], cfg["hidden"])
    lr = training["learningRate"]
    sparse_opt = torch.optim.SparseAdam(list(model.embedding.parameters()), lr=lr)
    dense = [p for n, p in model.named_parameters() if not n.startswith("embedding")]
    dense_opt = torch.optim.AdamW(dense, lr=lr, weight_decay=training["weightDecay"])
    weights_all = np.zeros(len(targets), np.float32)
    weights_all[rows] = row_weights(targets[:, 12].astype(np.int64), rows, cfg["balance"], training["seedLossShare"])
    t = torch.from_numpy(targets)
    w_all = torch.from_numpy(weights_all)
    batch = training["batchSize"]
    steps_per_epoch = math.ceil(len(rows) / batch)
    total_steps = training["epochs"] * steps_per_epoch
    step = 0
    history = []
    for epoch in range(training["epochs"]):
        model.train()
        order = rng.permutation(rows)
        total, started = 0.0, time.time()
        for b in range(steps_per_epoch):
            idx = order[b * batch:(b + 1) * batch]
            # Linear decay of the learning rate to 0 over the whole run (as fastText does).
            for opt in (sparse_opt, dense_opt):
                for g in opt.param_groups:
                    g["lr"] = lr * (1 - step / total_steps)
            flat, offsets, pw = feats.batch(idx, rng, cfg["featureDropout"])
            logits, affect = model(flat, offsets, pw)
            tb = t[idx]
            w = w_all[idx]
            ce = -(tb[:, :CLASSES] * F.log_softmax(logits, 1)).sum(1)
            loss_rows = tb[:, 10] * ce + training["affectLossWeight"] * ((affect[:, 0] - tb[:, 8]) ** 2 + tb[:, 11] * (affect[:, 1] - tb[:, 9]) ** 2)
            loss = (w * loss_rows).sum() / w.sum()
            sparse_opt.zero_grad()
            dense_opt.zero_grad()
            loss.backward()
            sparse_opt.step()
            dense_opt.step()
            total += float(loss)
            step += 1
        history.append({"epoch": epoch + 1, "loss": round(total / steps_per_epoch, 5), "seconds": round(time.time() - started, 2)})
    return model, history


def predict(model, feats, rows, batch=1024):
    model.eval()
    out = []
    with torch.no_grad():
        for b in range(0, len(rows), batch):
            logits, affect = model(*feats.batch(rows[b:b + batch]))
            out.append(torch.cat([logits, affect], 1).numpy())
    return np.concatenate(out).astype(np.float32) if out else np.zeros((0, CLASSES + 2), np.float32)


def versions():
    return {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__}


def main():
    mode, settings_path, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    settings = json.load(open(settings_path))
    cache = os.path.dirname(os.path.abspath(settings_path))
    training = settings["training"]
    torch.set_num_threads(settings["threads"])
    os.makedirs(out_dir, exist_ok=True)
    targets = np.fromfile(os.path.join(cache, "targets.f32"), dtype="<f4").reshape(-1, COLUMNS)
    n = len(targets)
    folds = targets[:, 13].astype(np.int64)
    corpus = targets[:, 12].astype(np.int64)
    # Seed rows are in no fold (trained on by every fold, predicted by none); corpus rows in one.
    assert (folds[corpus == SEED] == -1).all() and (folds[corpus != SEED] >= 0).all(), "seed rows must have fold -1, corpus rows a fold"
    configs = {c["name"]: c for c in settings["configs"]}

    if mode == "cv":
        record = {"versions": versions(), "configs": {}}
        for cfg in settings["configs"]:
            feats = Features(os.path.join(cache, f"features-{cfg['features']}"))
            assert len(feats.lengths) == n
            oof = np.zeros((n, CLASSES + 2), np.float32)
            fold_records = []
            started = time.time()
            for k in range(settings["folds"]):
                fold_started = time.time()
                train_rows = np.nonzero(folds != k)[0]
                test_rows = np.nonzero(folds == k)[0]
                assert not (corpus[test_rows] == SEED).any()
                model, history = train(cfg, training, feats, targets, train_rows, settings["seed"] + k)
                oof[test_rows] = predict(model, feats, test_rows)
                fold_records.append({"fold": k, "trainRows": int(len(train_rows)), "seedRows": int((corpus[train_rows] == SEED).sum()),
                                     "seedRowWeight": seed_row_weight(corpus, train_rows, cfg, training), "testRows": int(len(test_rows)),
                                     "history": history, "seconds": round(time.time() - fold_started, 1)})
                log(f"{cfg['name']} fold {k + 1}/{settings['folds']}: loss {history[-1]['loss']:.4f} ({time.time() - fold_started:.0f} s)")
            oof.astype("<f4").tofile(os.path.join(out_dir, f"oof-{cfg['name']}.f32"))
            record["configs"][cfg["name"]] = {"folds": fold_records, "seconds": round(time.time() - started, 1)}
        json.dump(record, open(os.path.join(out_dir, "cv.json"), "w"), indent=1)
    elif mode == "final":
        cfg = configs[sys.argv[4]]
        feats = Features(os.path.join(cache, f"features-{cfg['features']}"))
        started = time.time()
        model, history = train(cfg, training, feats, targets, np.arange(n), settings["seed"])
        seconds = time.time() - started
        tensors = model.tensors()
        with open(os.path.join(out_dir, "weights.f16"), "wb") as f:
            for _, a in tensors:
                f.write(np.ascontiguousarray(a, dtype="<f2").tobytes())
        parity = Features(os.path.join(cache, f"parity-{cfg['features']}"))
        rows = np.arange(len(parity.lengths))
        predict(model, parity, rows).astype("<f4").tofile(os.path.join(out_dir, "parity-f32.f32"))
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(p.half().float())
        predict(model, parity, rows).astype("<f4").tofile(os.path.join(out_dir, "parity-f16.f32"))
        json.dump({"versions": versions(), "history": history, "seconds": round(seconds, 1),
                   "seedRowWeight": seed_row_weight(corpus, np.arange(n), cfg, training),
                   "tensors": [{"name": name, "shape": list(a.shape)} for name, a in tensors],
                   "parameters": int(sum(a.size for _, a in tensors))},
                  open(os.path.join(out_dir, "final.json"), "w"), indent=1)
        log(f"final {cfg['name']}: loss {history[-1]['loss']:.4f} ({seconds:.0f} s)")
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
