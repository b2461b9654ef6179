"""Pools train.py's cross-validation and leave-one-corpus-out predictions into results.json.

Every figure is computed per corpus, because a pooled number hides the corpus that fails:
UAR over the emotions the corpus has (the model may still answer any of its seven), accuracy,
arousal and valence accuracy from the model's own valence/arousal outputs (the sign, against
the sign of the label's target point), expected calibration error, the confusion matrix.

Calibration: one temperature T divides both logits layers. It is fitted by minimising the
negative log-likelihood of the speaker-grouped CV predictions (cold and adapted, clean). The
CV figures use a *cross-fitted* T (fitted on the other folds), the leave-one-corpus-out figures a T
fitted without the held-out corpus's clips, so no reported ECE scores the data its T was fitted on.
The shipped T is fitted on all CV predictions.

Also chosen here, on CV predictions only: the voice-profile maturity threshold (the smallest
profile size from which adapted is at least as good as cold on average over corpora and no more
than 0.02 below it on any corpus, for it and every larger size measured), and the per-emotion
reliabilities fusion reads.
"""

import json
import math
import os

import numpy as np

MODES = ("cleanCold", "cleanAdapted", "roomCold", "roomAdapted")


def clip_id(key):
    """Clip index of a prediction key ("17", or "17:profile3_0" for one of several profile draws)."""
    return int(str(key).split(":")[0])


def softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def clip_probabilities(entry, temperature):
    """The predictor's clip probability: the mean over windows of softmax(logits / T)."""
    return softmax(np.array(entry["logits"]) / temperature).mean(0)


def load_tasks(out_dir, prefix):
    tasks = []
    for name in sorted(os.listdir(out_dir)):
        if name.startswith(prefix) and name.endswith(".json"):
            with open(os.path.join(out_dir, name)) as f:
                tasks.append(json.load(f))
    return tasks


def fit_temperature(pairs):
    """T minimising mean NLL of (entry, class index) pairs: golden-section search on log T."""
    if not pairs:
        return 1.0

    def nll(log_t):
        t = math.exp(log_t)
        return -np.mean([math.log(max(clip_probabilities(e, t)[y], 1e-12)) for e, y in pairs])

    lo, hi = math.log(0.3), math.log(5.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(40):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(b)
    return float(math.exp((lo + hi) / 2))


def ece(confidences, correct, bins=10):
    """Expected calibration error: Σ (bin share) × |accuracy − mean confidence| over equal-width bins."""
    confidences, correct = np.array(confidences), np.array(correct, dtype=np.float64)
    if len(confidences) == 0:
        return 0.0
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for i in range(bins):
        sel = (confidences > edges[i]) & (confidences <= edges[i + 1])
        if sel.any():
            total += sel.mean() * abs(correct[sel].mean() - confidences[sel].mean())
    return float(total)


def pearson(x, y):
    x, y = np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


class Scorer:
    def __init__(self, job, clips):
        self.labels = job["labels"]
        self.targets = job["affectTargets"]
        self.clips = clips

    def metrics(self, entries, temperature_of):
        """entries: {clip id: entry}; temperature_of(clip id) → T. Scores clips whose label is one of ours."""
        n = len(self.labels)
        confusion = np.zeros((n, n), dtype=np.int64)
        conf, correct, ar_ok, va_ok = [], [], [], []
        v_pred, v_true, a_pred, a_true = [], [], [], []
        for c, entry in entries.items():
            lab = self.clips[clip_id(c)]["label"]
            if lab not in self.labels:
                continue
            p = clip_probabilities(entry, temperature_of(c))
            k = int(np.argmax(p))
            confusion[self.labels.index(lab), k] += 1
            conf.append(float(p[k]))
            correct.append(k == self.labels.index(lab))
            tv, ta = self.targets[lab]
            pv, pa = entry["affect"]
            ar_ok.append((pa > 0) == (ta > 0))
            if abs(tv) >= 0.1:
                va_ok.append((pv > 0) == (tv > 0))
            v_pred.append(pv)
            v_true.append(tv)
            a_pred.append(pa)
            a_true.append(ta)
        rows = confusion.sum(1)
        recall = confusion.diagonal() / np.maximum(rows, 1)
        present = rows > 0
        return {
            "count": int(confusion.sum()),
            "uar": float(recall[present].mean()) if present.any() else 0.0,
            "accuracy": float(confusion.diagonal().sum() / max(confusion.sum(), 1)),
            "recall": recall.tolist(),
            "present": present.tolist(),
            "confusion": confusion.tolist(),
            "arousalAccuracy": float(np.mean(ar_ok)) if ar_ok else 0.0,
            "valenceAccuracy": float(np.mean(va_ok)) if va_ok else 0.0,
            "valenceR": pearson(v_pred, v_true),
            "arousalR": pearson(a_pred, a_true),
            "ece": ece(conf, correct),
            "meanConfidence": float(np.mean(conf)) if conf else 0.0,
        }


def mature_enough(curve, k, tolerance=0.02):
    """Adapting with k-utterance profiles helps: adapted ≥ cold on average over corpora, and no
    corpus more than `tolerance` below cold (the noise of a few hundred clips per corpus)."""
    gains = [curve[corpus][str(k)]["adapted"] - curve[corpus][str(k)]["cold"] for corpus in curve if str(k) in curve[corpus]]
    return bool(gains) and np.mean(gains) >= 0 and min(gains) >= -tolerance


def by_corpus(entries, clips):
    out = {}
    for c, e in entries.items():
        out.setdefault(clips[clip_id(c)]["corpus"], {})[c] = e
    return out


def adapted_or_cold(pred, threshold, tag):
    """The app's rule: adapted once the profile holds at least `threshold` utterances, else cold."""
    cold, adapted = pred.get(f"{tag}Cold", {}), pred.get(f"{tag}Adapted", {})
    counts = pred["profileUtterances"]
    return {c: (adapted[c] if counts.get(c, 0) >= threshold and c in adapted else cold[c]) for c in cold}


def summarise(job, out_dir):
    with open(os.path.join(job["featuresDir"], "index.json")) as f:
        clips = json.load(f)["clips"]
    scorer = Scorer(job, clips)
    labels = job["labels"]
    cv = load_tasks(out_dir, "cv-")
    loco = load_tasks(out_dir, "loco-")
    results = {"seconds": sum(t["seconds"] for t in cv + loco)}

    def pairs_of(tasks, exclude_corpus=None):
        pairs = []
        for t in tasks:
            for mode in ("cleanCold", "cleanAdapted"):
                for c, e in t["predictions"].get(mode, {}).items():
                    lab = clips[int(c)]["label"]
                    if lab in labels and clips[int(c)]["corpus"] != exclude_corpus:
                        pairs.append((e, labels.index(lab)))
        return pairs

    temperature = fit_temperature(pairs_of(cv))
    results["temperature"] = temperature
    with open(os.path.join(out_dir, "calibration.json"), "w") as f:
        json.dump({"temperature": temperature}, f)

    # Maturity: adapted (profiles of k other clips) vs cold on the same clips, per corpus.
    sizes = job["profileSizes"]
    curve = {}
    for k in sizes:
        entries_k, entries_cold = {}, {}
        for t in cv:
            for key, draws in t["predictions"].items():
                if not key.startswith(f"profile{k}_"):
                    continue
                for c, e in draws.items():
                    entries_k[f"{c}:{key}"] = e
                    entries_cold[f"{c}:{key}"] = t["predictions"]["cleanCold"][c]
        for corpus, ents in by_corpus(entries_k, clips).items():
            cold_ents = {c: entries_cold[c] for c in ents}
            curve.setdefault(corpus, {})[str(k)] = {
                "adapted": scorer.metrics(ents, lambda c: temperature)["uar"],
                "cold": scorer.metrics(cold_ents, lambda c: temperature)["uar"],
            }
    threshold = None
    for k in sizes:
        if all(mature_enough(curve, j) for j in sizes if j >= k):
            threshold = k
            break
    results["profileCurve"] = curve
    results["minProfileUtterances"] = threshold if threshold is not None else 10**6
    if job.get("fixedMinProfileUtterances") is not None:
        # --cv-only: the shipped metadata's threshold is what the app applies; score with it.
        results["curveMinProfileUtterances"] = results["minProfileUtterances"]
        results["minProfileUtterances"] = job["fixedMinProfileUtterances"]
    min_profile = results["minProfileUtterances"]

    # Speaker-grouped CV, per corpus, with cross-fitted temperatures.
    fold_t = {}
    for i, t in enumerate(cv):
        fold_t[i] = fit_temperature(pairs_of([o for j, o in enumerate(cv) if j != i]))
    results["cv"] = {"folds": [{"task": t["task"], "testSpeakers": t["testSpeakers"], "trainClips": t["trainClips"], "seconds": t["seconds"], "temperature": fold_t[i]} for i, t in enumerate(cv)]}
    for mode in MODES:
        tag = "clean" if mode.startswith("clean") else "room"
        pooled = {}
        t_of = {}
        for i, t in enumerate(cv):
            pred = t["predictions"]
            if f"{tag}Cold" not in pred:
                continue
            ents = adapted_or_cold(pred, min_profile, tag) if mode.endswith("Adapted") else pred[f"{tag}Cold"]
            for c, e in ents.items():
                pooled[c] = e
                t_of[c] = fold_t[i]
        if not pooled:
            continue
        results["cv"][mode] = {corpus: scorer.metrics(ents, lambda c: t_of[c]) for corpus, ents in sorted(by_corpus(pooled, clips).items())}
        results["cv"][mode]["uncalibratedEce"] = {corpus: scorer.metrics(ents, lambda c: 1.0)["ece"] for corpus, ents in sorted(by_corpus(pooled, clips).items())}
        # Per-fold UAR per corpus (spread between speaker groups).
        for corpus in results["cv"][mode]:
            if corpus == "uncalibratedEce":
                continue
            uars = []
            for i, t in enumerate(cv):
                ents = {c: e for c, e in (adapted_or_cold(t["predictions"], min_profile, tag) if mode.endswith("Adapted") else t["predictions"].get(f"{tag}Cold", {})).items() if clips[int(c)]["corpus"] == corpus}
                if ents:
                    uars.append(scorer.metrics(ents, lambda c: fold_t[i])["uar"])
            results["cv"][mode][corpus]["foldUars"] = uars

    # Unseen voice *and* unseen sentence: the test clips whose sentence the fold's model never
    # heard from anyone (corpora with enough sentences to hold some out: EmoDB, Korean).
    for mode in ("cleanCold", "cleanAdapted", "roomCold", "roomAdapted"):
        tag = "clean" if mode.startswith("clean") else "room"
        pooled, t_of = {}, {}
        for i, t in enumerate(cv):
            held = set(t.get("heldSentences", []))
            pred = t["predictions"]
            if not held or f"{tag}Cold" not in pred:
                continue
            ents = adapted_or_cold(pred, min_profile, tag) if mode.endswith("Adapted") else pred[f"{tag}Cold"]
            for c, e in ents.items():
                clip = clips[clip_id(c)]
                if f"{clip['corpus']}:{clip.get('sentence', '')}" in held:
                    pooled[c] = e
                    t_of[c] = fold_t[i]
        if pooled:
            results["cv"][f"{mode}NewSentence"] = {corpus: scorer.metrics(ents, lambda c: t_of[c]) for corpus, ents in sorted(by_corpus(pooled, clips).items())}

    # Adapted with a profile of relaxed speech only (neutral, calm, bored: what a user's calibration
    # and everyday talk give), against cold on the same clips.
    pooled, t_of = {}, {}
    for i, t in enumerate(cv):
        for c, e in t["predictions"].get("cleanAdaptedRelaxed", {}).items():
            pooled[c] = e
            t_of[c] = fold_t[i]
    if pooled:
        results["cv"]["cleanAdaptedRelaxed"] = {corpus: scorer.metrics(ents, lambda c: t_of[c]) for corpus, ents in sorted(by_corpus(pooled, clips).items())}

    # Each branch alone (diagnostic), clean, pooled over folds.
    results["branches"] = {}
    for branch in ("cnn", "stats"):
        for mode in ("cleanCold", "cleanAdapted"):
            pooled = {}
            for t in cv:
                entries = t["predictions"].get(f"{branch}:{mode}", {})
                if mode == "cleanAdapted":
                    cold = t["predictions"].get(f"{branch}:cleanCold", {})
                    entries = {c: (e if t["predictions"]["profileUtterances"].get(c, 0) >= min_profile else cold.get(c, e)) for c, e in entries.items()}
                pooled.update(entries)
            if pooled:
                results["branches"].setdefault(branch, {})[mode] = {corpus: scorer.metrics(ents, lambda c: 1.0)["uar"] for corpus, ents in sorted(by_corpus(pooled, clips).items())}

    # Leave-one-corpus-out: the held-out corpus is a language (and recording chain) never heard.
    results["loco"] = {}
    for t in loco:
        corpus = t["task"].split(":")[1]
        t_loco = fit_temperature(pairs_of(cv, exclude_corpus=corpus))
        entry = {"trainClips": t["trainClips"], "seconds": t["seconds"], "temperature": t_loco}
        pred = t["predictions"]
        for mode in MODES:
            tag = "clean" if mode.startswith("clean") else "room"
            if f"{tag}Cold" not in pred:
                continue
            ents = adapted_or_cold(pred, min_profile, tag) if mode.endswith("Adapted") else pred[f"{tag}Cold"]
            entry[mode] = scorer.metrics(ents, lambda c: t_loco)
        results["loco"][corpus] = entry

    # Weighted voice profiles (adaptation that never learns the mood), and the choice among them.
    results["profileWeighting"] = weighted_profiles(job, clips, scorer, cv, loco, fold_t, min_profile, pairs_of)

    # What fusion reads: per-emotion recall pooled over corpora (each corpus weighted by its
    # clips), and how well the valence/arousal outputs track the labels' points (Pearson r).
    results["reliability"] = {}
    for mode, key in (("cleanCold", "cold"), ("cleanAdapted", "adapted")):
        pooled, t_of = {}, {}
        for i, t in enumerate(cv):
            ents = adapted_or_cold(t["predictions"], min_profile, "clean") if key == "adapted" else t["predictions"]["cleanCold"]
            for c, e in ents.items():
                pooled[c] = e
                t_of[c] = fold_t[i]
        m = scorer.metrics(pooled, lambda c: t_of[c])
        results["reliability"][key] = {
            "perEmotion": {lab: round(r, 4) for lab, r, present in zip(labels, m["recall"], m["present"]) if present},
            "valence": round(max(0.0, m["valenceR"]), 4),
            "arousal": round(max(0.0, m["arousalR"]), 4),
            "uar": m["uar"],
            "count": m["count"],
        }
        # How often a reading below a calibrated top probability of 0.5 is right (the "unsure" line).
        low = [(float(clip_probabilities(e, t_of[c]).max()), int(np.argmax(clip_probabilities(e, t_of[c]))) == labels.index(clips[int(c)]["label"])) for c, e in pooled.items() if clips[int(c)]["label"] in labels]
        unsure = [ok for p, ok in low if p < job["unsureBelow"]]
        sure = [ok for p, ok in low if p >= job["unsureBelow"]]
        results["reliability"][key]["unsure"] = {
            "threshold": job["unsureBelow"],
            "share": len(unsure) / max(1, len(low)),
            "accuracyUnsure": float(np.mean(unsure)) if unsure else None,
            "accuracySure": float(np.mean(sure)) if sure else None,
        }

    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f)
    print_summary(results)


WEIGHTING_TAGS = {"none": "none", "p-neutral": "pneutral", "neutral-distance": "ndist"}


def mature_or_cold(entries, cold, counts, threshold):
    """The app's rule for a weighted profile: adapted once its *weighted* utterance count reaches
    the threshold, else the cold reading. Keys may be "clip" or "clip:draw"."""
    out = {}
    for key, e in entries.items():
        c = str(clip_id(key))
        if c not in cold:
            continue
        out[key] = e if counts.get(key, 0) >= threshold else cold[c]
    return out


def balanced_readings(members, cold, temperature, labels, max_share=0.5):
    """Candidate (d)'s test: the profile's cold readings are balanced when no single emotion is
    the top reading of more than `max_share` of its members (and it has at least 2)."""
    tops = [int(np.argmax(clip_probabilities(cold[str(o)], temperature))) for o in members if str(o) in cold]
    if len(tops) < 2:
        return False
    return max(np.bincount(tops, minlength=len(labels))) / len(tops) <= max_share


def weighted_profiles(job, clips, scorer, cv, loco, fold_t, min_profile, pairs_of):
    """Per weighting candidate (job profileWeightings) and candidate (d) "cold until the profile's
    cold readings are balanced" (the unweighted profile, used only when balanced), clean and room:
    per corpus, cold, adapted with a balanced profile (all the speaker's other clips) and adapted
    with one-emotion profiles (all draws; profile emotion = the clip's; ≠ the clip's), each beside
    cold on the very same clips (paired). Speaker-grouped CV with cross-fitted temperatures, and
    leave-one-corpus-out. Then the choice rule (see `choose_weighting`)."""
    labels = job["labels"]
    weightings = job.get("profileWeightings") or [{"kind": "none"}]
    tags = [WEIGHTING_TAGS[w["kind"]] for w in weightings] + ["balanced-only"]

    def modes_of(pred, tag, wtag, t_task):
        """{subset: (adapted entries, cold entries)} for one task, rendering, weighting."""
        cold = pred.get(f"{tag}Cold", {})
        if not cold:
            return {}
        counts = pred.get("profileCounts", {})
        one_info = pred.get("oneEmotionProfiles", {}).get(tag, {})
        if wtag == "balanced-only":
            # (d): the unweighted profile when the members' cold readings are balanced, else cold.
            adapted = pred.get(f"{tag}Adapted", {})
            by_speaker = {}
            for c in cold:
                by_speaker.setdefault(clips[int(c)]["speaker"], []).append(c)
            balanced = {}
            for c, e in adapted.items():
                members = [o for o in by_speaker[clips[int(c)]["speaker"]] if o != c]
                ok = pred["profileUtterances"].get(c, 0) >= min_profile and balanced_readings(members, cold, t_task, labels)
                balanced[c] = e if ok else cold[c]
            one = {}
            for key, e in pred.get(f"{tag}AdaptedOne:none", {}).items():
                members = one_info.get(key, {}).get("members", [])
                ok = len(members) >= min_profile and balanced_readings(members, cold, t_task, labels)
                one[key] = e if ok else cold[str(clip_id(key))]
        else:
            if wtag == "none":
                balanced = adapted_or_cold(pred, min_profile, tag)
            else:
                balanced = mature_or_cold(pred.get(f"{tag}AdaptedW:{wtag}", {}), cold, counts.get(f"{tag}AdaptedW:{wtag}", {}), min_profile)
            one = mature_or_cold(pred.get(f"{tag}AdaptedOne:{wtag}", {}), cold, counts.get(f"{tag}AdaptedOne:{wtag}", {}), min_profile)
        same = {k: e for k, e in one.items() if one_info.get(k, {}).get("emotion") == clips[clip_id(k)]["label"]}
        diff = {k: e for k, e in one.items() if k not in same}
        cold_of = lambda ents: {k: cold[str(clip_id(k))] for k in ents}
        return {
            "balanced": (balanced, cold_of(balanced)),
            "one": (one, cold_of(one)),
            "oneSame": (same, cold_of(same)),
            "oneOther": (diff, cold_of(diff)),
        }

    def score(tasks, t_of_task):
        """{rendering: {weighting: {subset: {corpus: {cold: metrics, adapted: metrics}}}}}."""
        out = {}
        for tag in ("clean", "room"):
            for wtag in tags:
                pooled = {}
                for i, t in enumerate(tasks):
                    for subset, (adapted, cold) in modes_of(t["predictions"], tag, wtag, t_of_task(i)).items():
                        a, c_ = pooled.setdefault(subset, ({}, {}))
                        for k, e in adapted.items():
                            a[f"{k}:t{i}"] = (e, t_of_task(i))
                            c_[f"{k}:t{i}"] = (cold[k], t_of_task(i))
                for subset, (a, c_) in pooled.items():
                    per = {}
                    for which, ents in (("adapted", a), ("cold", c_)):
                        by = {}
                        for k, (e, t) in ents.items():
                            by.setdefault(clips[clip_id(k)]["corpus"], {})[k] = (e, t)
                        for corpus, ce in by.items():
                            m = metrics_keyed(scorer, ce)
                            per.setdefault(corpus, {})[which] = {key: m[key] for key in ("count", "uar", "arousalAccuracy", "valenceAccuracy", "ece", "recall", "present")}
                    if per:
                        out.setdefault(tag, {}).setdefault(wtag, {})[subset] = dict(sorted(per.items()))
        return out

    result = {"candidates": weightings + [{"kind": "balanced-only", "maxShare": 0.5}], "tags": tags}
    result["cv"] = score(cv, lambda i: fold_t[i])
    loco_t = {}
    for i, t in enumerate(loco):
        loco_t[i] = fit_temperature(pairs_of(cv, exclude_corpus=t["task"].split(":")[1]))
    result["loco"] = score(loco, lambda i: loco_t[i])
    # Mean profile weight of each label's clips (clean, CV): how neutral each emotion looks cold.
    mean_w = {}
    for t in cv:
        for wtag, ws in t["predictions"].get("profileWeights", {}).get("clean", {}).items():
            for c, w in ws.items():
                key = (clips[int(c)]["corpus"], clips[int(c)]["label"])
                mean_w.setdefault(wtag, {}).setdefault(key, []).append(w)
    result["meanWeight"] = {wtag: {f"{corpus}/{lab}": float(np.mean(v)) for (corpus, lab), v in sorted(d.items())} for wtag, d in mean_w.items()}
    result.update(choose_weighting(result["cv"], weightings, fallback={"kind": "balanced-only", "maxShare": 0.5}))
    return result


def metrics_keyed(scorer, entries):
    """scorer.metrics over {key: (entry, temperature)} whose keys start with the clip id."""
    return scorer.metrics({k: e for k, (e, _) in entries.items()}, lambda k: entries[k][1])


def choose_weighting(cv, weightings, tolerance=0.02, fallback=None):
    """The rule (stated in the model card): among the candidates whose balanced-profile UAR is
    not below cold on any corpus by more than `tolerance` (clean CV), the one whose one-emotion
    profile UAR + arousal accuracy (mean over corpora, clean) is highest. If no eligible candidate
    makes one-emotion adapted at least cold (UAR and arousal, mean over corpora, clean), the
    `fallback` (d) — cold until the profile's cold readings are balanced — joins the candidates
    and the same rule picks among them. Then the same figures on the room rendering, to see
    whether the choice holds on a second kind of data."""
    table = {}
    tag_of = lambda w: WEIGHTING_TAGS.get(w["kind"], w["kind"])
    for w in weightings + ([fallback] if fallback else []):
        wtag = tag_of(w)
        entry = {}
        for tag in ("clean", "room"):
            sub = cv.get(tag, {}).get(wtag, {})
            if "one" not in sub or "balanced" not in sub:
                continue
            corpora = sorted(sub["one"])
            one_uar = float(np.mean([sub["one"][k]["adapted"]["uar"] for k in corpora]))
            one_ar = float(np.mean([sub["one"][k]["adapted"]["arousalAccuracy"] for k in corpora]))
            cold_uar = float(np.mean([sub["one"][k]["cold"]["uar"] for k in corpora]))
            cold_ar = float(np.mean([sub["one"][k]["cold"]["arousalAccuracy"] for k in corpora]))
            gaps = {k: sub["balanced"][k]["adapted"]["uar"] - sub["balanced"][k]["cold"]["uar"] for k in sorted(sub["balanced"])}
            entry[tag] = {
                "oneUar": one_uar,
                "oneArousal": one_ar,
                "oneColdUar": cold_uar,
                "oneColdArousal": cold_ar,
                "score": one_uar + one_ar,
                "balancedGap": gaps,
                "eligible": bool(min(gaps.values()) >= -tolerance),
                "oneAtLeastCold": bool(one_uar >= cold_uar and one_ar >= cold_ar),
            }
        table[wtag] = entry
    def pick(candidates, tag):
        ok = [w for w in candidates if table[tag_of(w)].get(tag, {}).get("eligible")]
        return max(ok, key=lambda w: table[tag_of(w)][tag]["score"]) if ok else None

    candidates = list(weightings)
    reaches = [w for w in candidates if table[tag_of(w)].get("clean", {}).get("eligible") and table[tag_of(w)]["clean"].get("oneAtLeastCold")]
    fell_back = bool(fallback) and not reaches and tag_of(fallback) in table
    if fell_back:
        candidates.append(fallback)
    chosen = pick(candidates, "clean") or {"kind": "none"}
    ctag = tag_of(chosen)
    room = pick(candidates, "room")
    room_best = room["kind"] if room else None
    return {
        "rule": {"tolerance": tolerance, "fallback": fallback, "fellBack": fell_back},
        "choiceTable": table,
        "chosen": chosen,
        "roomBest": room_best,
        "holdsOnRoom": room_best == chosen["kind"],
        "oneAtLeastColdClean": table.get(ctag, {}).get("clean", {}).get("oneAtLeastCold"),
        "oneAtLeastColdRoom": table.get(ctag, {}).get("room", {}).get("oneAtLeastCold"),
    }


def print_summary(results):
    f3 = lambda x: f"{x:.3f}"
    print(f"temperature {results['temperature']:.3f}; voice profiles adapt from {results['minProfileUtterances']} utterances", flush=True)
    for mode in MODES:
        if mode not in results["cv"]:
            continue
        line = " | ".join(
            f"{corpus} UAR {f3(m['uar'])} ar {f3(m['arousalAccuracy'])} va {f3(m['valenceAccuracy'])} ECE {f3(m['ece'])}"
            for corpus, m in results["cv"][mode].items()
            if corpus != "uncalibratedEce"
        )
        print(f"CV {mode}: {line}", flush=True)
    pw = results.get("profileWeighting")
    if pw:
        for tag in ("clean", "room"):
            for wtag, subsets in pw["cv"].get(tag, {}).items():
                line = " | ".join(
                    f"{corpus} cold {f3(m['cold']['uar'])} {subset} {f3(m['adapted']['uar'])} ar {f3(m['cold']['arousalAccuracy'])}→{f3(m['adapted']['arousalAccuracy'])}"
                    for subset in ("balanced", "one")
                    if subset in subsets
                    for corpus, m in subsets[subset].items()
                )
                print(f"CV {tag} weighting {wtag}: {line}", flush=True)
        print(f"profile weighting chosen: {pw['chosen']} (room best: {pw['roomBest']}; one-emotion ≥ cold clean {pw['oneAtLeastColdClean']}, room {pw['oneAtLeastColdRoom']})", flush=True)
    for corpus, entry in results["loco"].items():
        line = " | ".join(f"{mode} UAR {f3(entry[mode]['uar'])} ar {f3(entry[mode]['arousalAccuracy'])}" for mode in MODES if mode in entry)
        print(f"LOCO {corpus}: {line}", flush=True)
