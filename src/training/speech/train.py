"""Speech-emotion training loop (PyTorch, CPU).

Reads features exported by our TypeScript (feature-export.ts: the app's own SpeechAnalyser
output), so there is one feature implementation. Trains the two-branch model (log-mel CNN +
utterance-statistics MLP, logits added), cross-validates it over RAVDESS actor groups and
writes the final model's weights as named float32 arrays that build-tfjs-model.ts turns into a
tfjs LayersModel (with a parity check against this network's outputs).

Why PyTorch, not tfjs: measured on this 2-core machine, the tfjs cpu backend in Node trains a
24k-parameter CNN at ~0.25 samples/s and the wasm backend (with a hand-registered
Conv2DBackpropFilter) at ~13 samples/s; this loop runs the 100k-parameter CNN at several
hundred samples/s, which is what fits cross-validation plus the final model in one hour.

Normalisation mirrors src/core/speech/voice-profile.ts `effectiveNormalisation` exactly
(blend of population and speaker statistics by counts, std floor 0.1 × population std,
microphone-level statistics zeroed when cold), and windowing mirrors model-input.ts.

Run through `npm run train:speech` (train.ts), which passes a JSON job file.
"""

import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def log(*args):
    print(*args, flush=True)


# ----------------------------------------------------------------------------- data


class Features:
    """The exported features: per variant, per clip log-mel (frames × bands), speech mask, stats."""

    def __init__(self, directory):
        with open(os.path.join(directory, "index.json")) as f:
            index = json.load(f)
        self.index = index
        self.features = index["features"]
        self.bands = self.features["melBandCount"]
        self.stat_names = index["statNames"]
        self.variants = index["variants"]
        self.clips = index["clips"]
        self.frame_counts = np.array(index["frameCounts"], dtype=np.int64)  # [variant, clip]
        self.frame_offsets = np.array(index["frameOffsets"], dtype=np.int64)
        self.mel = []
        self.active = []
        self.stats = []
        for v in range(self.variants):
            self.mel.append(np.fromfile(os.path.join(directory, f"v{v}.mel.f32"), dtype="<f4").reshape(-1, self.bands))
            self.active.append(np.fromfile(os.path.join(directory, f"v{v}.active.u8"), dtype=np.uint8))
            self.stats.append(np.fromfile(os.path.join(directory, f"v{v}.stats.f32"), dtype="<f4").reshape(len(self.clips), -1))
        # Per (variant, clip): speech-frame moments of the log-mel, as voiceProfileContribution computes them.
        n_clips = len(self.clips)
        self.mel_count = np.zeros((self.variants, n_clips))
        self.mel_sum = np.zeros((self.variants, n_clips, self.bands))
        self.mel_sumsq = np.zeros((self.variants, n_clips, self.bands))
        for v in range(self.variants):
            for c in range(n_clips):
                x, a = self.clip(v, c)
                if x is None:
                    continue
                sel = x[a == 1].astype(np.float64)
                self.mel_count[v, c] = len(sel)
                self.mel_sum[v, c] = sel.sum(0)
                self.mel_sumsq[v, c] = (sel**2).sum(0)

    def ok(self, v, c):
        return self.frame_counts[v, c] > 0

    def clip(self, v, c):
        n = self.frame_counts[v, c]
        if n == 0:
            return None, None
        o = self.frame_offsets[v, c]
        return self.mel[v][o : o + n], self.active[v][o : o + n]


def blend(prior_weight, prior_mean, prior_std, count, mean, var):
    """voice-profile.ts effectiveNormalisation for one block: returns (mean, inv_std)."""
    if count <= 0:
        return prior_mean.copy(), 1.0 / prior_std
    w = prior_weight + count
    mu = (prior_weight * prior_mean + count * mean) / w
    second = (prior_weight * (prior_std**2 + prior_mean**2) + count * (var + mean**2)) / w
    sd = np.maximum(np.sqrt(np.maximum(0.0, second - mu * mu)), 0.1 * prior_std)
    return mu, 1.0 / sd


class Normaliser:
    """Population statistics (cold) and speaker profiles (adapted), as the app computes them."""

    def __init__(self, data, items, job):
        self.data = data
        self.job = job
        # Population statistics over the training items (all variants): speech frames and utterances.
        count = sum(data.mel_count[v, c] for v, c in items)
        s = sum(data.mel_sum[v, c] for v, c in items)
        ss = sum(data.mel_sumsq[v, c] for v, c in items)
        self.mel_mean = s / count
        self.mel_std = np.sqrt(np.maximum(ss / count - self.mel_mean**2, 1e-6))
        st = np.stack([data.stats[v][c] for v, c in items]).astype(np.float64)
        self.stats_mean = st.mean(0)
        self.stats_std = np.maximum(st.std(0), 1e-6)
        self.keep_cold = np.ones(len(data.stat_names), dtype=np.float32)
        for name in job["coldMaskedStats"]:
            self.keep_cold[data.stat_names.index(name)] = 0
        self.prior_frames = job["priorFrames"]
        self.prior_utterances = job["priorUtterances"]
        self.min_masked = job["minProfileUtterancesForMasked"]

    def cold(self):
        return (self.mel_mean, 1.0 / self.mel_std, self.stats_mean, 1.0 / self.stats_std, self.keep_cold)

    def profile(self, members):
        """Normalisation from a profile of (variant, clip) utterances: voiceProfileContribution + merge + blend."""
        d = self.data
        frames = sum(d.mel_count[v, c] for v, c in members)
        if frames > 0:
            mel_mean = sum(d.mel_sum[v, c] for v, c in members) / frames
            mel_var = sum(d.mel_sumsq[v, c] for v, c in members) / frames - mel_mean**2
        else:
            mel_mean = mel_var = None
        st = np.stack([d.stats[v][c] for v, c in members]).astype(np.float64)
        mm, mi = blend(self.prior_frames, self.mel_mean, self.mel_std, frames, mel_mean, mel_var)
        sm, si = blend(self.prior_utterances, self.stats_mean, self.stats_std, len(members), st.mean(0), st.var(0))
        keep = np.ones(len(d.stat_names), dtype=np.float32) if len(members) >= self.min_masked else self.keep_cold
        return (mm, mi, sm, si, keep)


def window_starts(length, size, hop):
    """model-input.ts planSegments: windows evenly spaced, last flush with the end."""
    if length <= size:
        return [0]
    n = math.ceil((length - size) / hop) + 1
    return [round(w * (length - size) / (n - 1)) for w in range(n)]


def window(x, start, size):
    """Rows [start, start + size) of x, wrapping around when x is shorter (model-input.ts)."""
    n = len(x)
    if start + size <= n:
        return x[start : start + size]
    idx = (start + np.arange(size)) % n
    return x[idx]


def normalise_window(xw, norm):
    mm, mi = norm[0], norm[1]
    return ((xw - mm) * mi).astype(np.float32)


def normalise_stats(s, norm):
    sm, si, keep = norm[2], norm[3], norm[4]
    return (((s - sm) * si) * keep).astype(np.float32)


# ----------------------------------------------------------------------------- model


class Net(nn.Module):
    """Two branches whose logits add (a product of experts): a log-mel CNN and a stats MLP.

    Mirrored layer for layer by build-tfjs-model.ts (names in `export_weights`).
    """

    def __init__(self, bands, n_stats, n_classes, channels, stats_hidden, dropout):
        super().__init__()
        # Bands left after the poolings: the CNN averages over time only and keeps frequency
        # position (where energy sits — pitch, formants, tilt — matters for emotion).
        self.freq_out = bands // 2 ** (len(channels) - 1)
        self.channels = channels
        convs, norms = [], []
        c_in = 1
        for c in channels:
            convs.append(nn.Conv2d(c_in, c, 3, padding=1, bias=False))
            norms.append(nn.BatchNorm2d(c, eps=1e-3, momentum=0.01))
            c_in = c
        self.convs = nn.ModuleList(convs)
        self.norms = nn.ModuleList(norms)
        self.cnn_dropout = nn.Dropout(dropout)
        self.cnn_out = nn.Linear(c_in * self.freq_out, n_classes)
        self.stats_dropout = nn.Dropout(0.2)
        self.stats_hidden = nn.Linear(n_stats, stats_hidden)
        self.stats_out = nn.Linear(stats_hidden, n_classes)
        self.stats_hidden_dropout = nn.Dropout(dropout)

    def branches(self, mel, stats):
        # mel: [batch, frames, bands] → NCHW with H = frames, W = bands.
        x = mel.unsqueeze(1)
        for i, (conv, bn) in enumerate(zip(self.convs, self.norms)):
            x = F.relu(bn(conv(x)))
            if i < len(self.convs) - 1:
                x = F.max_pool2d(x, 2)
        # [B, C, T', F'] → mean over time → [B, F', C] → flatten in tfjs's (F', C) order.
        x = x.mean(dim=2).permute(0, 2, 1).flatten(1)
        cnn = self.cnn_out(self.cnn_dropout(x))
        h = F.relu(self.stats_hidden(self.stats_dropout(stats)))
        st = self.stats_out(self.stats_hidden_dropout(h))
        return cnn, st

    def forward(self, mel, stats):
        cnn, st = self.branches(mel, stats)
        return cnn + st


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------- training


def spec_augment(batch, rng, max_bands=8, max_frames=20):
    """SpecAugment-style masking (one band stripe, one time stripe) with 0 = the normalised mean."""
    b, t, m = batch.shape
    for i in range(b):
        w = rng.integers(0, max_bands + 1)
        f0 = rng.integers(0, m - w + 1)
        batch[i, :, f0 : f0 + w] = 0
        w = rng.integers(0, max_frames + 1)
        t0 = rng.integers(0, t - w + 1)
        batch[i, t0 : t0 + w, :] = 0
    return batch


def train_model(data, train_clips, speech_clips, label_of, job, seed, log_prefix=""):
    """Trains on `train_clips` (labelled). `speech_clips`: every clip of the training speakers,
    labelled or not (RAVDESS calm when dropped): the population statistics and the speakers'
    voice profiles come from all of it, as the app's profile holds all of a user's speech and
    eval --adapt uses all of a speaker's clips."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    feats = data.features
    size = feats["windowFrames"]
    speech = [(v, c) for c in speech_clips for v in range(data.variants) if data.ok(v, c)]
    norm = Normaliser(data, speech, job)
    by_speaker = {}
    for v, c in speech:
        by_speaker.setdefault(data.clips[c]["speaker"], []).append((v, c))
    n_classes = len(job["labels"])
    model = Net(data.bands, len(data.stat_names), n_classes, job["channels"], job["statsHidden"], job["dropout"])
    opt = torch.optim.AdamW(model.parameters(), lr=job["learningRate"], weight_decay=job["weightDecay"])
    epochs = job["epochs"]
    # Class weights: balance classes (neutral has half the clips of the others in RAVDESS).
    counts = np.bincount([label_of[c] for c in train_clips], minlength=n_classes).astype(np.float64)
    class_weight = torch.tensor(counts.sum() / (n_classes * np.maximum(counts, 1)), dtype=torch.float32)
    batch_size = job["batchSize"]
    tess_fraction = job["tessFraction"]
    steps_total = None
    step = 0
    averaged, n_averaged = None, 0
    started = time.time()
    for epoch in range(epochs):
        # One variant per clip per epoch (clean or one of the augmented copies), TESS subsampled.
        epoch_items = []
        for c in train_clips:
            if data.clips[c]["corpus"] == "tess" and rng.random() > tess_fraction:
                continue
            choices = [v for v in range(data.variants) if data.ok(v, c)]
            if choices:
                epoch_items.append((choices[rng.integers(len(choices))], c))
        rng.shuffle(epoch_items)
        # A few random profiles per speaker this epoch: subsets of 4…all of their utterances.
        profiles = {}
        for spk, members in by_speaker.items():
            profiles[spk] = []
            for _ in range(job["profilesPerSpeaker"]):
                k = int(rng.integers(4, min(len(members), job["profileMaxUtterances"]) + 1))
                pick = rng.choice(len(members), size=k, replace=False)
                profiles[spk].append(norm.profile([members[i] for i in pick]))
        cold = norm.cold()
        if steps_total is None:
            steps_total = epochs * math.ceil(len(epoch_items) / batch_size)
        model.train()
        total_loss = 0.0
        for b0 in range(0, len(epoch_items), batch_size):
            batch = epoch_items[b0 : b0 + batch_size]
            mel = np.empty((len(batch), size, data.bands), dtype=np.float32)
            st = np.empty((len(batch), len(data.stat_names)), dtype=np.float32)
            y = np.empty(len(batch), dtype=np.int64)
            for i, (v, c) in enumerate(batch):
                x, _ = data.clip(v, c)
                n = rng.random()
                norm_i = cold if n < job["coldFraction"] else profiles[data.clips[c]["speaker"]][rng.integers(job["profilesPerSpeaker"])]
                start = int(rng.integers(0, len(x) - size + 1)) if len(x) > size else int(rng.integers(0, len(x)))
                mel[i] = normalise_window(window(x, start, size), norm_i)
                st[i] = normalise_stats(data.stats[v][c], norm_i)
                y[i] = label_of[c]
            mel = spec_augment(mel, rng)
            lr = job["learningRate"] * 0.5 * (1 + math.cos(math.pi * step / steps_total))
            for g in opt.param_groups:
                g["lr"] = lr
            cnn, stl = model.branches(torch.from_numpy(mel), torch.from_numpy(st))
            target = torch.from_numpy(y)
            ce = lambda z: F.cross_entropy(z, target, weight=class_weight, label_smoothing=job["labelSmoothing"])
            # Auxiliary losses keep each branch predictive on its own, so neither leans on the other.
            loss = ce(cnn + stl) + job["auxLossWeight"] * (ce(cnn) + ce(stl))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            total_loss += loss.item() * len(batch)
        log(f"{log_prefix}epoch {epoch + 1}/{epochs} loss {total_loss / len(epoch_items):.3f} ({time.time() - started:.0f} s, {len(epoch_items)} clips)")
        # Weight averaging over the last epochs (SWA, Izmailov et al. 2018): one model, flatter
        # minimum; batch-norm statistics are averaged alongside (the learning rate is small by then).
        if epoch >= epochs - job["averageLastEpochs"]:
            state = {k: v.detach().clone().double() for k, v in model.state_dict().items()}
            if averaged is None:
                averaged, n_averaged = state, 1
            else:
                n_averaged += 1
                for k in averaged:
                    averaged[k] += (state[k] - averaged[k]) / n_averaged
    if averaged is not None:
        model.load_state_dict({k: v.to(model.state_dict()[k].dtype) for k, v in averaged.items()})
    model.eval()
    return model, norm


@torch.no_grad()
def predict_clips(model, data, requests, size, hop, chunk=256, branch=None):
    """Probabilities for (variant, clip, normalisation) requests: the softmax of each window
    averaged over the clip's windows (model-input.ts planSegments + the predictor)."""
    mel, st, owner = [], [], []
    for r, (v, c, norm) in enumerate(requests):
        x, _ = data.clip(v, c)
        s = normalise_stats(data.stats[v][c], norm)
        for start in window_starts(len(x), size, hop):
            mel.append(normalise_window(window(x, start, size), norm))
            st.append(s)
            owner.append(r)
    probs = []
    for b in range(0, len(mel), chunk):
        cnn, stl = model.branches(torch.from_numpy(np.stack(mel[b : b + chunk])), torch.from_numpy(np.stack(st[b : b + chunk])))
        logits = cnn if branch == "cnn" else stl if branch == "stats" else cnn + stl
        probs.append(torch.softmax(logits, dim=1).numpy())
    probs = np.concatenate(probs)
    owner = np.array(owner)
    return [probs[owner == r].mean(0) for r in range(len(requests))]


def evaluate(model, norm, data, test_clips, job, variant=0, branch=None):
    """Cold and adapted probabilities for `test_clips` (variant: 0 clean, k augmented copy k)."""
    feats = data.features
    size, hop = feats["windowFrames"], feats["windowHopFrames"]
    speakers = {}
    for c in test_clips:
        if data.ok(variant, c):
            speakers.setdefault(data.clips[c]["speaker"], []).append(c)
    requests, keys = [], []
    cold = norm.cold()
    for spk, clips in speakers.items():
        adapted = norm.profile([(variant, c) for c in clips])
        for c in clips:
            requests += [(variant, c, cold), (variant, c, adapted)]
            keys += [("cold", c), ("adapted", c)]
    out = {"cold": {}, "adapted": {}}
    for (mode, c), p in zip(keys, predict_clips(model, data, requests, size, hop, branch=branch)):
        out[mode][c] = p.tolist()
    return out


def metrics(probabilities, data, clips, labels):
    """Accuracy, UAR and confusion matrix over clips whose label is one of `labels`."""
    n = len(labels)
    confusion = np.zeros((n, n), dtype=np.int64)
    for c in clips:
        lab = data.clips[c]["label"]
        if lab not in labels or c not in probabilities:
            continue
        confusion[labels.index(lab), int(np.argmax(probabilities[c]))] += 1
    recall = confusion.diagonal() / np.maximum(confusion.sum(1), 1)
    present = confusion.sum(1) > 0
    return {
        "accuracy": float(confusion.diagonal().sum() / max(confusion.sum(), 1)),
        "uar": float(recall[present].mean()) if present.any() else 0.0,
        "recall": recall.tolist(),
        "confusion": confusion.tolist(),
        "count": int(confusion.sum()),
    }


# ----------------------------------------------------------------------------- export


def export_weights(model, norm, data, job, out_dir, reference_clips):
    """Named float32 arrays in tfjs layout (Conv2D HWIO, Dense [in, out]) + reference outputs."""
    names, arrays = [], []

    def add(name, array):
        names.append({"name": name, "shape": list(array.shape)})
        arrays.append(np.ascontiguousarray(array, dtype="<f4"))

    for i, (conv, bn) in enumerate(zip(model.convs, model.norms)):
        add(f"conv_{i}/kernel", conv.weight.detach().numpy().transpose(2, 3, 1, 0))  # OIHW → HWIO
        add(f"bn_{i}/gamma", bn.weight.detach().numpy())
        add(f"bn_{i}/beta", bn.bias.detach().numpy())
        add(f"bn_{i}/moving_mean", bn.running_mean.numpy())
        add(f"bn_{i}/moving_variance", bn.running_var.numpy())
    add("cnn_logits/kernel", model.cnn_out.weight.detach().numpy().T)
    add("cnn_logits/bias", model.cnn_out.bias.detach().numpy())
    add("stats_hidden/kernel", model.stats_hidden.weight.detach().numpy().T)
    add("stats_hidden/bias", model.stats_hidden.bias.detach().numpy())
    add("stats_logits/kernel", model.stats_out.weight.detach().numpy().T)
    add("stats_logits/bias", model.stats_out.bias.detach().numpy())
    with open(os.path.join(out_dir, "weights.f32"), "wb") as f:
        for a in arrays:
            f.write(a.tobytes())
    # Reference: a few normalised windows and this network's softmax, for the tfjs parity check.
    size = data.features["windowFrames"]
    mel, st = [], []
    for c in reference_clips:
        x, _ = data.clip(0, c)
        mel.append(normalise_window(window(x, 0, size), norm.cold()))
        st.append(normalise_stats(data.stats[0][c], norm.cold()))
    mel = np.stack(mel)
    st = np.stack(st)
    with torch.no_grad():
        probs = torch.softmax(model(torch.from_numpy(mel), torch.from_numpy(st)), dim=1).numpy()
    mel.astype("<f4").tofile(os.path.join(out_dir, "reference-mel.f32"))
    st.astype("<f4").tofile(os.path.join(out_dir, "reference-stats.f32"))
    probs.astype("<f4").tofile(os.path.join(out_dir, "reference-probs.f32"))
    return {
        "weights": names,
        "parameters": count_parameters(model),
        "referenceCount": len(reference_clips),
        "normalisation": {
            "melMeanDb": norm.mel_mean.tolist(),
            "melStdDb": norm.mel_std.tolist(),
            "statsMean": norm.stats_mean.tolist(),
            "statsStd": norm.stats_std.tolist(),
        },
    }


# ----------------------------------------------------------------------------- main


def main():
    """`train.py JOB.json TASK`: TASK is `fold:K` (train on the development actors outside fold K,
    test on fold K), `final` (train on all development actors, test on the held-out ones, export),
    or `summary` (pool the fold results into results.json). train.ts runs the fold and final
    tasks two at a time, one thread each: on a shared 2-core machine two single-threaded
    processes are several times faster than one two-threaded one (OpenMP threads spin-wait
    for each other when the cores are busy)."""
    job_path, task = sys.argv[1], sys.argv[2]
    with open(job_path) as f:
        job = json.load(f)
    torch.set_num_threads(job.get("threads", 1))
    out_dir = job["outDir"]
    os.makedirs(out_dir, exist_ok=True)
    labels = job["labels"]
    if task == "summary":
        return summarise(job, out_dir)
    data = Features(job["featuresDir"])
    calm = job["calm"]  # "merge" (calm → neutral) or "drop"

    def train_label(c):
        lab = data.clips[c]["label"]
        if lab == "calm":
            return labels.index("neutral") if calm == "merge" else None
        return labels.index(lab) if lab in labels else None

    label_of = {c: train_label(c) for c in range(len(data.clips))}
    usable = [c for c in range(len(data.clips)) if label_of[c] is not None and data.ok(0, c)]
    actor = lambda c: int(data.clips[c]["speaker"].split("_")[1]) if data.clips[c]["corpus"] == "ravdess" else None
    held_out = set(job["heldOutActors"])
    use_tess = job["useTess"]
    in_train_pool = lambda c: (actor(c) is None and use_tess) or (actor(c) is not None and actor(c) not in held_out)
    ravdess_all = [c for c in range(len(data.clips)) if data.clips[c]["corpus"] == "ravdess" and data.ok(0, c)]
    # All speech of the speakers training may use (labels aside): for statistics and profiles.
    speakers_clips = [c for c in range(len(data.clips)) if data.ok(0, c) and in_train_pool(c)]
    started = time.time()

    if task.startswith("fold:"):
        k = int(task.split(":")[1])
        fold = job["folds"][k]
        test = [c for c in ravdess_all if actor(c) in fold]
        train = [c for c in usable if in_train_pool(c) and (actor(c) is None or actor(c) not in fold)]
        speech = [c for c in speakers_clips if actor(c) is None or actor(c) not in fold]
        model, norm = train_model(data, train, speech, label_of, job, job["seed"] + k, log_prefix=f"fold {k + 1}/{len(job['folds'])} ")
        pred = evaluate(model, norm, data, test, job)
        result = {
            "actors": fold,
            "trainClips": len(train),
            "seconds": time.time() - started,
            "cold": metrics(pred["cold"], data, test, labels),
            "adapted": metrics(pred["adapted"], data, test, labels),
            "predictions": {m: {str(c): p for c, p in pred[m].items()} for m in ("cold", "adapted")},
            "labelsOfClips": {str(c): data.clips[c]["label"] for c in test},
        }
        if data.variants > 1:
            noisy = evaluate(model, norm, data, test, job, variant=1)
            result["noisyCold"] = metrics(noisy["cold"], data, test, labels)
            result["noisyAdapted"] = metrics(noisy["adapted"], data, test, labels)
            result["predictions"]["noisyCold"] = {str(c): p for c, p in noisy["cold"].items()}
            result["predictions"]["noisyAdapted"] = {str(c): p for c, p in noisy["adapted"].items()}
        for branch in ("cnn", "stats"):
            only = evaluate(model, norm, data, test, job, branch=branch)
            result[f"{branch}Only"] = {m: metrics(only[m], data, test, labels)["uar"] for m in ("cold", "adapted")}
        # Where calm clips go (not scored: calm is not in our taxonomy).
        calm_clips = [c for c in test if data.clips[c]["label"] == "calm"]
        result["calmPredictions"] = np.bincount([int(np.argmax(pred["cold"][c])) for c in calm_clips], minlength=len(labels)).tolist()
        log(
            f"fold {k + 1}: cold UAR {result['cold']['uar']:.3f} acc {result['cold']['accuracy']:.3f} | adapted UAR {result['adapted']['uar']:.3f} acc {result['adapted']['accuracy']:.3f}"
            + (f" | noisy cold {result['noisyCold']['uar']:.3f} adapted {result['noisyAdapted']['uar']:.3f}" if data.variants > 1 else "")
            + f" | CNN alone {result['cnnOnly']['cold']:.3f}/{result['cnnOnly']['adapted']:.3f}, stats alone {result['statsOnly']['cold']:.3f}/{result['statsOnly']['adapted']:.3f}"
            + f" ({result['seconds']:.0f} s)"
        )
        with open(os.path.join(out_dir, f"fold-{k}.json"), "w") as f:
            json.dump(result, f)
    elif task == "final":
        train = [c for c in usable if in_train_pool(c)]
        model, norm = train_model(data, train, speakers_clips, label_of, job, job["seed"] + 100, log_prefix="final ")
        test = [c for c in ravdess_all if actor(c) in held_out]
        pred = evaluate(model, norm, data, test, job)
        result = {
            "trainClips": len(train),
            "seconds": time.time() - started,
            "heldOut": {"cold": metrics(pred["cold"], data, test, labels), "adapted": metrics(pred["adapted"], data, test, labels)},
        }
        log(f"final: held-out cold UAR {result['heldOut']['cold']['uar']:.3f} | adapted UAR {result['heldOut']['adapted']['uar']:.3f} (PyTorch, {result['seconds']:.0f} s)")
        reference = test[:: max(1, len(test) // 8)][:8]
        result["export"] = export_weights(model, norm, data, job, out_dir, reference)
        with open(os.path.join(out_dir, "final.json"), "w") as f:
            json.dump(result, f)
    else:
        raise SystemExit(f"unknown task {task}")


def summarise(job, out_dir):
    """Pools the folds' predictions (each clip predicted by the one model that never saw its actor)."""
    labels = job["labels"]
    folds = []
    for k in range(len(job["folds"])):
        path = os.path.join(out_dir, f"fold-{k}.json")
        if os.path.exists(path):
            with open(path) as f:
                folds.append(json.load(f))
    results = {"folds": [], "seconds": 0.0}
    if folds:
        pooled = {}
        for mode in ("cold", "adapted", "noisyCold", "noisyAdapted"):
            confusion = np.zeros((len(labels), len(labels)), dtype=np.int64)
            present = False
            for fold in folds:
                for c, p in fold["predictions"].get(mode, {}).items():
                    present = True
                    lab = fold["labelsOfClips"][c]
                    if lab in labels:
                        confusion[labels.index(lab), int(np.argmax(p))] += 1
            if not present:
                continue
            recall = confusion.diagonal() / np.maximum(confusion.sum(1), 1)
            entry = {"accuracy": float(confusion.diagonal().sum() / max(confusion.sum(), 1)), "uar": float(recall.mean()), "recall": recall.tolist(), "confusion": confusion.tolist(), "count": int(confusion.sum())}
            uars = [fold[mode]["uar"] for fold in folds]
            entry["foldUarMean"] = float(np.mean(uars))
            entry["foldUarSd"] = float(np.std(uars, ddof=1)) if len(uars) > 1 else 0.0
            pooled[mode] = entry
        results["cv"] = pooled
        for fold in folds:
            fold = dict(fold)
            del fold["predictions"], fold["labelsOfClips"]
            results["folds"].append(fold)
        results["seconds"] += sum(f["seconds"] for f in folds)
        log(
            f"CV pooled: cold UAR {pooled['cold']['uar']:.3f} (folds {pooled['cold']['foldUarMean']:.3f} ± {pooled['cold']['foldUarSd']:.3f}) | "
            f"adapted UAR {pooled['adapted']['uar']:.3f} (folds {pooled['adapted']['foldUarMean']:.3f} ± {pooled['adapted']['foldUarSd']:.3f})"
        )
    with open(os.path.join(out_dir, "final.json")) as f:
        results["final"] = json.load(f)
    results["seconds"] += results["final"]["seconds"]
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
