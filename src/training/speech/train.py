"""Speech-emotion training loop (PyTorch, CPU).

Reads features exported by our TypeScript (feature-export.ts: the app's own SpeechAnalyser
output), so there is one feature implementation. Trains the two-branch model (log-mel CNN +
utterance-statistics MLP, logits added) with valence/arousal heads, over every corpus at once
(RAVDESS, EmoDB, Korean), sampled so no corpus, speaker or class dominates. Evaluates it with
speaker-grouped cross-validation and leave-one-corpus-out, and writes the final model's weights
as named float32 arrays that build-tfjs-model.ts turns into a tfjs LayersModel (with a parity
check against this network's outputs).

Why PyTorch, not tfjs: measured on this 2-core machine, the tfjs cpu backend in Node trains a
24k-parameter CNN at ~0.25 samples/s and the wasm backend (with a hand-registered
Conv2DBackpropFilter) at ~13 samples/s; this loop runs the network at a few hundred samples/s,
which is what fits cross-validation plus the final model in one hour.

Normalisation mirrors src/core/speech/voice-profile.ts `effectiveNormalisation` exactly
(blend of population and speaker statistics by counts, std floor 0.1 x population std,
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_layers import conv_bn_stack, export_conv_bn  # noqa: E402


def log(*args):
    print(*args, flush=True)


# ----------------------------------------------------------------------------- data


class Features:
    """The exported features: per variant, per clip log-mel (frames x bands), speech mask, stats."""

    def __init__(self, directory):
        with open(os.path.join(directory, "index.json")) as f:
            index = json.load(f)
        self.features = index["features"]
        self.bands = self.features["melBandCount"]
        self.stat_names = index["statNames"]
        self.variants = index["variants"]
        self.variant_kinds = index["variantKinds"]
        self.clips = index["clips"]
        self.frame_counts = np.array(index["frameCounts"], dtype=np.int64)  # [variant, clip]
        self.frame_offsets = np.array(index["frameOffsets"], dtype=np.int64)
        self.mel, self.active, self.stats = [], [], []
        for v in range(self.variants):
            self.mel.append(np.fromfile(os.path.join(directory, f"v{v}.mel.f32"), dtype="<f4").reshape(-1, self.bands))
            self.active.append(np.fromfile(os.path.join(directory, f"v{v}.active.u8"), dtype=np.uint8))
            self.stats.append(np.fromfile(os.path.join(directory, f"v{v}.stats.f32"), dtype="<f4").reshape(len(self.clips), -1).astype(np.float64))
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
        self.train_variants = [v for v in range(self.variants) if self.variant_kinds[v] in ("clean", "train")]
        self.room_variant = next((v for v in range(self.variants) if self.variant_kinds[v] == "room-test"), None)

    def ok(self, v, c):
        return self.frame_counts[v, c] > 0

    def clip(self, v, c):
        n = self.frame_counts[v, c]
        if n == 0:
            return None, None
        o = self.frame_offsets[v, c]
        return self.mel[v][o : o + n], self.active[v][o : o + n]

    def speaker(self, c):
        return self.clips[c]["speaker"]

    def corpus(self, c):
        return self.clips[c]["corpus"]

    def sentence_key(self, c):
        return f"{self.clips[c]['corpus']}:{self.clips[c].get('sentence', '')}"


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
        # Population statistics over the training speech (all training renderings), each corpus
        # weighted equally so the largest one does not define "typical".
        by_corpus = {}
        for v, c in items:
            by_corpus.setdefault(data.corpus(c), []).append((v, c))
        mel_s, mel_ss = np.zeros(data.bands), np.zeros(data.bands)
        st_rows, st_w = [], []
        for corpus_items in by_corpus.values():
            frames = sum(data.mel_count[v, c] for v, c in corpus_items)
            weight = 1.0 / (len(by_corpus) * frames)
            mel_s += weight * sum(data.mel_sum[v, c] for v, c in corpus_items)
            mel_ss += weight * sum(data.mel_sumsq[v, c] for v, c in corpus_items)
            for v, c in corpus_items:
                st_rows.append(data.stats[v][c])
                st_w.append(1.0 / (len(by_corpus) * len(corpus_items)))
        self.mel_mean = mel_s
        self.mel_std = np.sqrt(np.maximum(mel_ss - mel_s**2, 1e-6))
        st = np.stack(st_rows)
        wts = np.array(st_w)[:, None]
        self.stats_mean = (wts * st).sum(0)
        self.stats_std = np.maximum(np.sqrt((wts * (st - self.stats_mean) ** 2).sum(0)), 1e-6)
        self.keep_cold = np.ones(len(data.stat_names), dtype=np.float32)
        for name in job["coldMaskedStats"]:
            self.keep_cold[data.stat_names.index(name)] = 0
        self.prior_frames = job["priorFrames"]
        self.prior_utterances = job["priorUtterances"]
        self.min_masked = job["minProfileUtterancesForMasked"]

    def cold(self):
        return (self.mel_mean, 1.0 / self.mel_std, self.stats_mean, 1.0 / self.stats_std, self.keep_cold)

    def profile(self, members, weights=None):
        """Normalisation from a profile of (variant, clip) utterances: voiceProfileContribution +
        weightedVoiceProfileContribution + merge + blend, mirroring voice-profile.ts exactly.

        `weights` (one per member, in [0, 1]; None = all 1, the unweighted profile): each
        utterance enters the profile with its frame count, M2 and utterance count scaled by its
        weight (means unchanged), merged with Chan's formula — which for fractional counts equals
        the weighted moments computed here: frames = Σ wᵢ nᵢ, mean = Σ wᵢ sumᵢ / frames, second
        moment = Σ wᵢ sumsqᵢ / frames; statistics: count = Σ wᵢ, weighted mean and variance. The
        blend's prior (priorFrames / priorUtterances) then keeps a profile of low-weight
        utterances near the population. The masked statistics (coldMaskedStats) stay zeroed while
        the *weighted* utterance count is below minProfileUtterancesForMasked, as in the app."""
        if not members:
            return self.cold()
        d = self.data
        vs = np.array([v for v, _ in members])
        cs = np.array([c for _, c in members])
        w = np.ones(len(members)) if weights is None else np.clip(np.asarray(weights, dtype=np.float64), 0.0, 1.0)
        utterances = float(w.sum())
        if utterances <= 0:
            return self.cold()
        frames = float((w * d.mel_count[vs, cs]).sum())
        if frames > 0:
            mel_mean = (w[:, None] * d.mel_sum[vs, cs]).sum(0) / frames
            mel_var = (w[:, None] * d.mel_sumsq[vs, cs]).sum(0) / frames - mel_mean**2
        else:
            mel_mean = mel_var = None
        st = np.stack([d.stats[v][c] for v, c in members])
        st_mean = (w[:, None] * st).sum(0) / utterances
        st_var = (w[:, None] * (st - st_mean) ** 2).sum(0) / utterances
        mm, mi = blend(self.prior_frames, self.mel_mean, self.mel_std, frames, mel_mean, mel_var)
        sm, si = blend(self.prior_utterances, self.stats_mean, self.stats_std, utterances, st_mean, st_var)
        keep = np.ones(len(d.stat_names), dtype=np.float32) if utterances >= self.min_masked else self.keep_cold
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
    """Two branches whose logits add (a product of experts): a log-mel CNN and a stats MLP;
    each also proposes valence and arousal, summed and squashed by tanh.

    Mirrored layer for layer by build-tfjs-model.ts (names in `export_weights`).
    """

    def __init__(self, bands, n_stats, n_classes, channels, stats_hidden, dropout):
        super().__init__()
        # Bands left after the poolings: the CNN averages over time only and keeps frequency
        # position (where energy sits — pitch, formants, tilt — matters for emotion).
        self.freq_out = bands // 2 ** (len(channels) - 1)
        self.convs, self.norms, c_in = conv_bn_stack(channels, momentum=0.01)
        self.cnn_dropout = nn.Dropout(dropout)
        self.cnn_out = nn.Linear(c_in * self.freq_out, n_classes)
        self.cnn_affect = nn.Linear(c_in * self.freq_out, 2)
        self.stats_dropout = nn.Dropout(0.2)
        self.stats_hidden = nn.Linear(n_stats, stats_hidden)
        self.stats_out = nn.Linear(stats_hidden, n_classes)
        self.stats_affect = nn.Linear(stats_hidden, 2)
        self.stats_hidden_dropout = nn.Dropout(dropout)

    def branches(self, mel, stats):
        """(cnn logits, stats logits, affect pre-activation) for mel [B, T, M] and stats [B, D]."""
        x = mel.unsqueeze(1)
        for i, (conv, bn) in enumerate(zip(self.convs, self.norms)):
            x = F.relu(bn(conv(x)))
            if i < len(self.convs) - 1:
                x = F.max_pool2d(x, 2)
        # [B, C, T', F'] → mean over time → [B, F', C] → flatten in tfjs's (F', C) order.
        x = self.cnn_dropout(x.mean(dim=2).permute(0, 2, 1).flatten(1))
        h = self.stats_hidden_dropout(F.relu(self.stats_hidden(self.stats_dropout(stats))))
        return self.cnn_out(x), self.stats_out(h), self.cnn_affect(x) + self.stats_affect(h)

    def forward(self, mel, stats):
        cnn, st, affect = self.branches(mel, stats)
        return cnn + st, torch.tanh(affect)


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


class Targets:
    """What each clip teaches: an emotion class (or none: calm, boredom) and a valence/arousal point."""

    def __init__(self, data, job):
        labels = job["labels"]
        extra = job["extraLabels"]  # label → "affect" | "drop" | an emotion to train as
        affect = job["affectTargets"]
        self.cls, self.affect = {}, {}
        for c, clip in enumerate(data.clips):
            lab = clip["label"]
            if lab in extra:
                rule = extra[lab]
                if rule == "drop":
                    continue
                self.cls[c] = None if rule == "affect" else labels.index(rule)
                self.affect[c] = affect[lab] if rule == "affect" else affect[rule]
            elif lab in labels:
                self.cls[c] = labels.index(lab)
                self.affect[c] = affect[lab]

    def usable(self, c):
        return c in self.affect


def sampling_weights(data, clips, targets, job):
    """Per clip: corpus share / speakers in the corpus / label groups of the speaker / clips in the
    group, so each corpus, each of its speakers and each of a speaker's labels weigh the same."""
    share = job["corpusShare"]
    groups = {}
    for c in clips:
        groups.setdefault(data.corpus(c), {}).setdefault(data.speaker(c), {}).setdefault(data.clips[c]["label"], []).append(c)
    corpora = [k for k in groups if share.get(k, 1.0) > 0]
    total_share = sum(share.get(k, 1.0) for k in corpora)
    w = {}
    for corpus in corpora:
        speakers = groups[corpus]
        for by_label in speakers.values():
            for members in by_label.values():
                for c in members:
                    w[c] = share.get(corpus, 1.0) / total_share / len(speakers) / len(by_label) / len(members)
    ids = np.array(sorted(w))
    p = np.array([w[c] for c in ids])
    return ids, p / p.sum()


RELAXED_LABELS = ("neutral", "calm", "boredom")


def draw_profile(others, data, rng, job):
    """The clips of a training voice profile, drawn from `others` (the speaker's other clips in
    the same rendering). Real profiles are rarely balanced: a user mostly talks calmly, and the
    calibration sentences are neutral. So with `profileMix` = [p_random, p_relaxed, p_one_label]:
    a random subset; one made mostly of relaxed speech (neutral, calm, bored); or one dominated
    by a single emotion. Sizes from minProfileTraining to profileMaxUtterances; [] when too few."""
    lo, hi = job["minProfileTraining"], job["profileMaxUtterances"]
    if len(others) < lo:
        return []
    mix = job.get("profileMix", [1, 0, 0])
    kind = rng.choice(3, p=np.array(mix) / np.sum(mix))
    if kind > 0:
        if kind == 1:
            pool = [o for o in others if data.clips[o]["label"] in RELAXED_LABELS]
        else:
            labels = sorted({data.clips[o]["label"] for o in others})
            chosen = labels[rng.integers(len(labels))]
            pool = [o for o in others if data.clips[o]["label"] == chosen]
        rest = [o for o in others if o not in pool]
        if len(pool) >= lo:
            k = int(rng.integers(lo, min(len(pool), hi) + 1))
            picked = [pool[j] for j in rng.choice(len(pool), size=k, replace=False)]
            # A little of everything else (up to a quarter), as real speech would have.
            extra = int(rng.integers(0, k // 4 + 1)) if rest else 0
            return picked + [rest[j] for j in rng.choice(len(rest), size=min(extra, len(rest)), replace=False)]
    k = int(rng.integers(lo, min(len(others), hi) + 1))
    return [others[j] for j in rng.choice(len(others), size=k, replace=False)]


def train_model(data, train_clips, speech_clips, targets, job, seed, log_prefix=""):
    """Trains on `train_clips` (those with targets). `speech_clips`: every clip of the training
    speakers, labelled or not: population statistics come from all of it."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    size = data.features["windowFrames"]
    variants = data.train_variants
    speech = [(v, c) for c in speech_clips for v in variants if data.ok(v, c)]
    norm = Normaliser(data, speech, job)
    # Pseudo-speakers: a speaker in one rendering (voice, room, microphone shared by their clips).
    pseudo = {}
    for v, c in speech:
        pseudo.setdefault((data.speaker(c), v), []).append(c)
    n_classes = len(job["labels"])
    model = Net(data.bands, len(data.stat_names), n_classes, job["channels"], job["statsHidden"], job["dropout"])
    opt = torch.optim.AdamW(model.parameters(), lr=job["learningRate"], weight_decay=job["weightDecay"])
    epochs, batch_size, epoch_size = job["epochs"], job["batchSize"], job["epochSize"]
    ids, p = sampling_weights(data, [c for c in train_clips if targets.usable(c)], targets, job)
    steps_total = epochs * math.ceil(epoch_size / batch_size)
    step = 0
    averaged, n_averaged = None, 0
    started = time.time()
    cold = norm.cold()
    min_profile = job["minProfileTraining"]
    for epoch in range(epochs):
        chosen = rng.choice(ids, size=epoch_size, p=p)
        model.train()
        total_loss = 0.0
        for b0 in range(0, epoch_size, batch_size):
            batch = chosen[b0 : b0 + batch_size]
            mel = np.empty((len(batch), size, data.bands), dtype=np.float32)
            st = np.empty((len(batch), len(data.stat_names)), dtype=np.float32)
            y = np.full(len(batch), -100, dtype=np.int64)
            va = np.empty((len(batch), 2), dtype=np.float32)
            for i, c in enumerate(batch):
                options = [v for v in variants if data.ok(v, c)]
                v = options[rng.integers(len(options))]
                x, _ = data.clip(v, c)
                norm_i = cold
                if rng.random() >= job["coldFraction"]:
                    # A profile from other clips of the same pseudo-speaker, never this one.
                    others = [o for o in pseudo.get((data.speaker(c), v), []) if o != c]
                    members = draw_profile(others, data, rng, job)
                    if members:
                        norm_i = norm.profile([(v, o) for o in members])
                start = int(rng.integers(0, len(x) - size + 1)) if len(x) > size else int(rng.integers(0, len(x)))
                mel[i] = normalise_window(window(x, start, size), norm_i)
                st[i] = normalise_stats(data.stats[v][c], norm_i)
                if targets.cls[c] is not None:
                    y[i] = targets.cls[c]
                va[i] = targets.affect[c]
            mel = spec_augment(mel, rng)
            lr = job["learningRate"] * 0.5 * (1 + math.cos(math.pi * step / steps_total))
            for g in opt.param_groups:
                g["lr"] = lr
            cnn, stl, affect = model.branches(torch.from_numpy(mel), torch.from_numpy(st))
            target = torch.from_numpy(y)
            has_class = bool((y >= 0).any())

            def ce(z):
                if not has_class:
                    return z.sum() * 0
                return F.cross_entropy(z, target, label_smoothing=job["labelSmoothing"], ignore_index=-100)

            # Auxiliary losses keep each branch predictive on its own, so neither leans on the other.
            loss = ce(cnn + stl) + job["auxLossWeight"] * (ce(cnn) + ce(stl))
            loss = loss + job["affectLossWeight"] * F.mse_loss(torch.tanh(affect), torch.from_numpy(va))
            if job.get("arousalSignLossWeight", 0) > 0:
                # High or low arousal is what "arousal right" scores: a logistic loss on the sign of
                # the arousal pre-activation sharpens that boundary beyond what the squared error does.
                high = torch.from_numpy((va[:, 1] > 0).astype(np.float32))
                loss = loss + job["arousalSignLossWeight"] * F.binary_cross_entropy_with_logits(2 * affect[:, 1], high)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            total_loss += loss.item() * len(batch)
        log(f"{log_prefix}epoch {epoch + 1}/{epochs} loss {total_loss / epoch_size:.3f} ({time.time() - started:.0f} s)")
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
def predict_requests(model, data, requests, chunk=32, branch=None):
    """For (variant, clip, normalisation) requests: each window's logits and the affect averaged
    over windows (model-input.ts planSegments + the predictor). `branch` "cnn" or "stats": that
    branch's logits alone (a diagnostic; the shipped model adds them). Batches of 32 windows:
    measured here, single-threaded, 2 ms per window against 20 ms in batches of 256 (whose
    activations no longer fit the allocator's heap and are mapped and unmapped every batch)."""
    if len(requests) > 1024:
        # In groups, so memory stays bounded however many profiles are evaluated.
        return [r for g in range(0, len(requests), 1024) for r in predict_requests(model, data, requests[g : g + 1024], chunk, branch)]
    size, hop = data.features["windowFrames"], data.features["windowHopFrames"]
    mel, st, owner = [], [], []
    for r, (v, c, norm) in enumerate(requests):
        x, _ = data.clip(v, c)
        s = normalise_stats(data.stats[v][c], norm)
        for start in window_starts(len(x), size, hop):
            mel.append(normalise_window(window(x, start, size), norm))
            st.append(s)
            owner.append(r)
    logits, affect = [], []
    for b in range(0, len(mel), chunk):
        cnn, stl, af = model.branches(torch.from_numpy(np.stack(mel[b : b + chunk])), torch.from_numpy(np.stack(st[b : b + chunk])))
        lg = cnn if branch == "cnn" else stl if branch == "stats" else cnn + stl
        logits.append(lg.numpy())
        affect.append(torch.tanh(af).numpy())
    logits, affect, owner = np.concatenate(logits), np.concatenate(affect), np.array(owner)
    return [(logits[owner == r], affect[owner == r].mean(0)) for r in range(len(requests))]


DEFAULT_WEIGHTINGS = [
    {"kind": "none"},
    {"kind": "p-neutral"},
    {"kind": "neutral-distance", "target": [0.0, -0.25], "sigma": 0.35},
]


def weighting_tag(weighting):
    """Short mode-name suffix of a profile weighting: none, pneutral, ndist."""
    return {"none": "none", "p-neutral": "pneutral", "neutral-distance": "ndist"}[weighting["kind"]]


def profile_weight(weighting, probs, affect, labels):
    """How much one utterance counts in a voice profile, from its *cold* reading (population
    normalisation): mirrors voice-profile.ts `profileWeight` exactly.
    - none: 1 (every utterance counts fully: the unweighted profile);
    - p-neutral: the calibrated probability of neutral;
    - neutral-distance: exp(−d² / (2σ²)), d = distance of the cold (valence, arousal) output
      from the neutral target point."""
    kind = weighting["kind"]
    if kind == "none":
        return 1.0
    if kind == "p-neutral":
        return float(min(1.0, max(0.0, probs[labels.index("neutral")])))
    if kind == "neutral-distance":
        tv, ta = weighting["target"]
        d2 = (affect[0] - tv) ** 2 + (affect[1] - ta) ** 2
        return float(math.exp(-d2 / (2 * weighting["sigma"] ** 2)))
    raise ValueError(f"unknown profile weighting {kind}")


def clip_probs(logits, temperature):
    """The predictor's clip probability: mean over windows of softmax(logits / T) (summary.py)."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=-1, keepdims=True)).mean(0)


def evaluate(model, norm, data, test_clips, job, rng, diagnostics=True, one_rng=None):
    """Predictions for `test_clips` in every evaluation mode:
    - clean cold / adapted (profile: all the speaker's *other* clean clips; the summary falls
      back to cold below the maturity threshold, as the app does);
    - profile-size curve on clean clips (profiles of k random other clips, k in profileSizes),
      and each branch alone, when `diagnostics`;
    - room-test cold / adapted (the speaker's other clips in the same room);
    - weighted profiles (job `profileWeightings`), clean and room: every test clip is first read
      cold; each profile member then counts with the weight its cold reading gives (calibrated
      with job `profileWeightTemperature`, the app's shipped temperature), as the app does:
      `{tag}AdaptedW:{w}` (all the speaker's other clips, balanced) and `{tag}AdaptedOne:{w}`
      (profiles of one emotion: the speaker's other clips of a single label, ≥ 2 of them, the
      label drawn at random — seeded, `one_rng`, 2 draws per clip — and the same draws for every
      weighting, so the comparison is paired). `oneEmotionProfiles` records each draw's label and
      members, `profileCounts` the weighted utterance count of every weighted profile (the
      summary applies the app's maturity rule to it)."""
    speakers = {}
    for c in test_clips:
        speakers.setdefault(data.speaker(c), []).append(c)
    cold = norm.cold()
    labels = job["labels"]
    weightings = job.get("profileWeightings", DEFAULT_WEIGHTINGS)
    temperature = job.get("profileWeightTemperature", 1.0)
    one_draws = job.get("oneEmotionDraws", 2)
    if one_rng is None:
        one_rng = np.random.default_rng(job["seed"] + 911)
    room = data.room_variant
    renderings = [(0, "clean")] + ([(room, "room")] if room is not None else [])
    # First every test clip cold (clean and room): the weights come from these readings.
    cold_requests = [(v, c, cold) for clips in speakers.values() for v, _ in renderings for c in clips if data.ok(v, c)]
    cold_out = {(v, c): r for (v, c, _), r in zip(cold_requests, predict_requests(model, data, cold_requests))}
    weight_of = {}
    for (v, c), (lg, af) in cold_out.items():
        p = clip_probs(lg, temperature)
        for wt in weightings:
            weight_of[(weighting_tag(wt), v, c)] = profile_weight(wt, p, af, labels)
    requests, keys, others_count = [], [], {}
    one_profiles, profile_counts = {}, {}
    for clips in speakers.values():
        for v, tag in renderings:
            ok = [c for c in clips if data.ok(v, c)]
            for c in ok:
                others = [(v, o) for o in ok if o != c]
                others_count[str(c)] = len(others)
                keys.append((f"{tag}Cold", c))
                requests.append(None)
                requests.append((v, c, norm.profile(others)))
                keys.append((f"{tag}Adapted", c))
                if tag == "clean":
                    # A profile of relaxed speech only (as after the neutral calibration sentences).
                    relaxed = [(v, o) for v, o in others if data.clips[o]["label"] in RELAXED_LABELS]
                    if len(relaxed) >= 2:
                        requests.append((v, c, norm.profile(relaxed)))
                        keys.append(("cleanAdaptedRelaxed", c))
                if tag == "clean" and diagnostics:
                    for k in job["profileSizes"]:
                        for draw in range(job["profileDraws"] if len(others) > k else 1):
                            if len(others) >= k:
                                pick = rng.choice(len(others), size=k, replace=False)
                                requests.append((v, c, norm.profile([others[j] for j in pick])))
                                keys.append((f"profile{k}_{draw}", c))
                # Weighted profiles: balanced (all other clips) and of one emotion.
                by_label = {}
                for _, o in others:
                    by_label.setdefault(data.clips[o]["label"], []).append(o)
                choices = sorted(lab for lab, members in by_label.items() if len(members) >= 2)
                draws = []
                for draw in range(one_draws if choices else 0):
                    lab = choices[int(one_rng.integers(len(choices)))]
                    draws.append((f"{c}:{draw}", lab, [(v, o) for o in by_label[lab]]))
                    one_profiles.setdefault(tag, {})[f"{c}:{draw}"] = {"emotion": lab, "members": by_label[lab]}
                for wt in weightings:
                    wtag = weighting_tag(wt)
                    ws = [weight_of[(wtag, v, o)] for _, o in others]
                    profile_counts.setdefault(f"{tag}AdaptedW:{wtag}", {})[str(c)] = round(float(sum(ws)), 5)
                    if wtag != "none":  # unweighted balanced = {tag}Adapted
                        requests.append((v, c, norm.profile(others, ws)))
                        keys.append((f"{tag}AdaptedW:{wtag}", c))
                    for key, _, members in draws:
                        ws = [weight_of[(wtag, v, o)] for _, o in members]
                        profile_counts.setdefault(f"{tag}AdaptedOne:{wtag}", {})[key] = round(float(sum(ws)), 5)
                        requests.append((v, c, norm.profile(members, ws)))
                        keys.append((f"{tag}AdaptedOne:{wtag}", key))
    live = [r for r in requests if r is not None]
    live_out = iter(predict_requests(model, data, live))
    results = []
    for (mode, c), r in zip(keys, requests):
        v = 0 if mode.startswith("clean") or mode.startswith("profile") else room
        results.append(cold_out[(v, c)] if r is None else next(live_out))
    out = {"profileUtterances": others_count, "oneEmotionProfiles": one_profiles, "profileCounts": profile_counts}
    out["profileWeights"] = {
        tag: {weighting_tag(wt): {str(c): round(weight_of[(weighting_tag(wt), v, c)], 5) for (vv, c) in cold_out if vv == v} for wt in weightings}
        for v, tag in renderings
    }
    for (mode, c), (lg, af) in zip(keys, results):
        out.setdefault(mode, {})[str(c)] = {"logits": np.round(lg, 5).tolist(), "affect": np.round(af, 5).tolist()}
    # Each branch alone, clean (diagnostic: which one carries what).
    for branch in ("cnn", "stats") if diagnostics else ():
        for mode in ("cleanCold", "cleanAdapted"):
            sel = [((0, k[1], cold) if r is None else r, k) for r, k in zip(requests, keys) if k[0] == mode]
            for (_, c), (lg, af) in zip([k for _, k in sel], predict_requests(model, data, [r for r, _ in sel], branch=branch)):
                out.setdefault(f"{branch}:{mode}", {})[str(c)] = {"logits": np.round(lg, 5).tolist(), "affect": np.round(af, 5).tolist()}
    return out


# ----------------------------------------------------------------------------- export


def export_weights(model, norm, data, out_dir, reference_clips, temperature):
    """Named float32 arrays in tfjs layout (Conv2D HWIO, Dense [in, out]) + reference outputs.
    The temperature is folded into both logits layers, so the model's softmax is calibrated."""
    names, arrays = [], []

    def add(name, array):
        names.append({"name": name, "shape": list(array.shape)})
        arrays.append(np.ascontiguousarray(array, dtype="<f4"))

    with torch.no_grad():
        for layer in (model.cnn_out, model.stats_out):
            layer.weight /= temperature
            layer.bias /= temperature
    export_conv_bn(add, model.convs, model.norms)
    for name, layer in [
        ("cnn_logits", model.cnn_out),
        ("cnn_affect", model.cnn_affect),
        ("stats_hidden", model.stats_hidden),
        ("stats_logits", model.stats_out),
        ("stats_affect", model.stats_affect),
    ]:
        add(f"{name}/kernel", layer.weight.detach().numpy().T)
        add(f"{name}/bias", layer.bias.detach().numpy())
    with open(os.path.join(out_dir, "weights.f32"), "wb") as f:
        for a in arrays:
            f.write(a.tobytes())
    # Reference: a few normalised windows and this network's outputs, for the tfjs parity check.
    size = data.features["windowFrames"]
    mel, st = [], []
    for c in reference_clips:
        x, _ = data.clip(0, c)
        mel.append(normalise_window(window(x, 0, size), norm.cold()))
        st.append(normalise_stats(data.stats[0][c], norm.cold()))
    mel, st = np.stack(mel), np.stack(st)
    with torch.no_grad():
        logits, affect = model(torch.from_numpy(mel), torch.from_numpy(st))
        probs = torch.softmax(logits, dim=1).numpy()
    mel.astype("<f4").tofile(os.path.join(out_dir, "reference-mel.f32"))
    st.astype("<f4").tofile(os.path.join(out_dir, "reference-stats.f32"))
    probs.astype("<f4").tofile(os.path.join(out_dir, "reference-probs.f32"))
    affect.numpy().astype("<f4").tofile(os.path.join(out_dir, "reference-affect.f32"))
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
    """`train.py JOB.json TASK`: TASK is `cv:K` (train without the speakers of speaker-grouped
    fold K, predict them), `loco:CORPUS` (train without CORPUS, predict it), `final` (train on
    everything), `summary` (pool the predictions into results.json and fit the temperature;
    summary.py) or `export` (the final model with that temperature, in tfjs layout).
    train.ts runs the tasks two at a time, one thread each: on a shared 2-core machine two
    single-threaded processes are several times faster than one two-threaded one (OpenMP
    threads spin-wait for each other when the cores are busy)."""
    job_path, task = sys.argv[1], sys.argv[2]
    with open(job_path) as f:
        job = json.load(f)
    torch.set_num_threads(job.get("threads", 1))
    out_dir = job["outDir"]
    os.makedirs(out_dir, exist_ok=True)
    if task == "summary":
        from summary import summarise  # noqa: E402  (same folder; only the summary needs it)

        return summarise(job, out_dir)
    data = Features(job["featuresDir"])
    targets = Targets(data, job)
    everything = [c for c in range(len(data.clips)) if data.ok(0, c)]
    started = time.time()
    rng = np.random.default_rng(job["seed"] + 7)

    if task.startswith("cv:") or task.startswith("loco:"):
        held_sentences = set()
        if task.startswith("cv:"):
            k = int(task.split(":")[1])
            held = set(job["folds"][k])
            held_sentences = set(job.get("foldSentences", [[]] * len(job["folds"]))[k])
            test = [c for c in everything if data.speaker(c) in held]
            seed = job["seed"] + k
        else:
            corpus = task.split(":")[1]
            test = [c for c in everything if data.corpus(c) == corpus]
            held = {data.speaker(c) for c in test}
            seed = job["seed"] + 50 + sorted({data.corpus(c) for c in everything}).index(corpus)
        # Neither the test speakers nor (for corpora with enough sentences) the fold's sentences.
        train = [c for c in everything if data.speaker(c) not in held and data.sentence_key(c) not in held_sentences]
        model, norm = train_model(data, train, train, targets, job, seed, log_prefix=f"{task} ")
        result = {
            "task": task,
            "testSpeakers": sorted(held),
            "heldSentences": sorted(held_sentences),
            "trainClips": len([c for c in train if targets.usable(c)]),
            "seconds": time.time() - started,
            # The profile-size curve and branch diagnostics come from the CV folds only.
            "predictions": evaluate(model, norm, data, test, job, rng, diagnostics=task.startswith("cv:"), one_rng=np.random.default_rng(seed + 911)),
        }
        log(f"{task}: done in {result['seconds']:.0f} s")
        with open(os.path.join(out_dir, f"{task.replace(':', '-')}.json"), "w") as f:
            json.dump(result, f)
    elif task == "final":
        model, norm = train_model(data, everything, everything, targets, job, job["seed"] + 100, log_prefix="final ")
        torch.save({"model": model.state_dict(), "norm": norm.__dict__ | {"data": None}, "seconds": time.time() - started}, os.path.join(out_dir, "final-model.pt"))
        log(f"final: trained in {time.time() - started:.0f} s")
    elif task == "export":
        # After the summary has fitted the temperature on the cross-validation predictions.
        saved = torch.load(os.path.join(out_dir, "final-model.pt"))
        model = Net(data.bands, len(data.stat_names), len(job["labels"]), job["channels"], job["statsHidden"], job["dropout"])
        model.load_state_dict(saved["model"])
        model.eval()
        norm = Normaliser.__new__(Normaliser)
        norm.__dict__.update(saved["norm"])
        norm.data = data
        with open(os.path.join(out_dir, "calibration.json")) as f:
            temperature = json.load(f)["temperature"]
        by_corpus = {}
        for c in everything:
            by_corpus.setdefault(data.corpus(c), []).append(c)
        reference = [cs[i * len(cs) // 3] for cs in by_corpus.values() for i in range(3)][:8]
        result = {
            "trainClips": len([c for c in everything if targets.usable(c)]),
            "seconds": saved["seconds"],
            "temperature": temperature,
            "export": export_weights(model, norm, data, out_dir, reference, temperature),
        }
        with open(os.path.join(out_dir, "final.json"), "w") as f:
            json.dump(result, f)
    else:
        raise SystemExit(f"unknown task {task}")


if __name__ == "__main__":
    main()
