"""What the player plays: the payload of a trajectory, built here from core's arrays.

Every number the player shows is formatted here; the browser only turns coordinates into pixels.
``packed`` turns a payload into the one JSON text a page caches with its trajectory (Streamlit
encodes a component's data on every run); player.js reads it as ``unpacked`` does.
"""

from __future__ import annotations

import base64
import json
import math

import numpy as np

from ui.plots import theme

WRONG = theme.LIGHT.wrong  # the ring around a misclassified point


def class_colors(n: int) -> list[str]:
    """The class colours of ui.plots.theme (the light palette: each reaches 3:1 on both backgrounds)."""
    return [theme.DEFAULT.color(c) for c in range(n)]


def packed(data: dict) -> dict:
    """``data`` as the player takes it in one JSON text (``unpacked`` is what the browser reads).
    Streamlit encodes a component's data on every run, twice: for a 500-step trajectory (240 kB)
    that was about 35 ms of every Step's server time. A page that caches the packed payload with its
    trajectory pays for the encoding once; sending the text again costs about 2 ms."""
    return {"id": data["id"], "payload": json.dumps(data, separators=(",", ":"))}


def unpacked(data: dict) -> dict:
    """The payload as player.js reads it: the packed text, with the fields sent beside it on top."""
    if "payload" not in data:
        return data
    rest = {k: v for k, v in data.items() if k != "payload"}
    return {**json.loads(data["payload"]), **rest}


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top`` (1, 2 or 5 times a power of ten apart)."""
    top = max(float(top), 1e-9)
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [k * step for k in range(math.ceil(top / step - 1e-9) + 1)]


def _flat(poly, digits: int = 4) -> list[float]:
    return [round(float(v), digits) for p in poly for v in p]


def _bits(mask) -> str:
    return base64.b64encode(np.packbits(np.asarray(mask, dtype=bool)).tobytes()).decode("ascii")


def classifier_data(
    hist,
    frames,
    X,
    y,
    *,
    run_id: str,
    extent: float,
    t: int,
    speed: int,
    fmt,
    labels: dict,
    class_names: list[str],
    present: bool = False,
) -> dict:
    """The optimization page's player payload: every recorded step of ``hist`` with ``frames``
    (``core.playback.classifier_frames``) for the points X, y; numbers formatted with ``fmt``."""
    colors = class_colors(len(class_names))
    last = hist.steps
    has_test = len(frames.test_accuracy) > 0
    tips = []
    for W in hist.W:  # each row of W as an arrow from the origin, the longest 0.6 of the half-width
        W = np.asarray(W, dtype=float)
        top = max(float(np.max(np.linalg.norm(W, axis=1))), 1e-12)
        tips.append([[round(float(v), 4) for v in row / top * 0.6 * extent] for row in W])
    percent = [f"{100 * a:.0f} %" for a in frames.accuracy]
    text = {
        "data": [fmt(v) for v in frames.data_loss],
        "reg": [fmt(v) for v in frames.reg_loss],
        "total": [fmt(v) for v in frames.total],
        "train_acc": percent,
        "W": [[[fmt(v) for v in row] for row in np.asarray(W)] for W in hist.W],
        "b": [[fmt(v) for v in np.asarray(b)] for b in hist.b],
    }
    metrics = ["data", "reg", "total", "train_acc"]
    if has_test:
        text["test_acc"] = [f"{100 * a:.0f} %" for a in frames.test_accuracy]
        metrics.append("test_acc")
    train_color, test_color = theme.DEFAULT.color(0), theme.DEFAULT.color(2)  # training, test

    def series(name, color, values):
        return {"name": labels[name], "color": color, "values": [round(float(v), 5) for v in values]}

    loss_series = [series("train", train_color, frames.total)]
    acc_series = [series("train", train_color, frames.accuracy)]
    if has_test:
        loss_series.append(series("test", test_color, frames.test_loss))
        acc_series.append(series("test", test_color, frames.test_accuracy))
    top = max(float(np.max(frames.total)), float(np.max(frames.test_loss)) if has_test else 0.0)
    loss_ticks = nice_ticks(top)
    return {
        "kind": "classifier",
        "id": f"{run_id}/{labels['lang']}/{int(present)}",
        "t": int(min(t, last)),
        "last": int(last),
        "speed": int(speed),
        "present": bool(present),
        "extent": float(extent),
        "points": [[round(float(a), 4), round(float(b), 4), int(c)] for (a, b), c in zip(X, y, strict=True)],
        "colors": {"classes": colors, "tints": colors, "wrong": WRONG},
        "metrics": metrics,
        "labels": {**labels, "classes": list(class_names)},
        "curves": {
            "loss": {
                "id": "loss",
                "title": labels["loss_title"],
                "xlabel": labels["xlabel"],
                "series": loss_series,
                "ymax": loss_ticks[-1],
                "ticks": [[v, f"{v:g}"] for v in loss_ticks],
                "diverged": hist.diverged,
            },
            "acc": {
                "id": "acc",
                "title": labels["acc_title"],
                "xlabel": labels["xlabel"],
                "series": acc_series,
                "ymax": 1.0,
                "ticks": [[v, f"{100 * v:.0f} %"] for v in (0.0, 0.5, 1.0)],
                "diverged": hist.diverged,
            },
        },
        "frames": {
            "regions": [[_flat(poly) for poly in polys] for polys in frames.regions],
            "lines": [[None if seg is None else _flat(seg) for seg in segs] for segs in frames.lines],
            "arrows": tips,
            "wrong": [_bits(row) for row in frames.wrong],
            "text": text,
        },
    }


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_label(exponent: int) -> str:
    """10 to a whole power as a tick label: ``10⁻³``."""
    return "10" + str(int(exponent)).translate(SUPERSCRIPT)


def paths_data(
    runs: dict,
    x,
    y,
    Z,
    *,
    run_id: str,
    steps: int,
    minimum,
    f_min,
    labels: dict,
    fmt,
    present: bool = False,
    levels: int = 12,
) -> dict:
    """The gradients page's player payload: each optimizer's path over the surface's levels.

    ``runs`` maps a display name to (path (K, 2), values (K,)) with K <= steps + 1 (a run that
    diverged ends early); ``Z[i, j]`` is the loss at (x[j], y[i]). With a known minimum the
    curves show the gap to it on a log scale.
    """
    Z = np.asarray(Z, dtype=float)
    shifted = np.log1p(Z - np.nanmin(Z))  # levels spaced on a log scale so narrow valleys show
    top = float(np.nanmax(shifted)) or 1.0
    quantized = np.clip(np.nan_to_num(shifted / top * levels), 0, levels - 1).astype(np.uint8)
    colors = [theme.DEFAULT.color(k) for k in range(len(runs))]
    log_y = f_min is not None
    series, out_runs = [], []
    for k, (name, (path, values)) in enumerate(runs.items()):
        values = np.asarray(values, dtype=float)
        shown = np.log10(np.maximum(values - f_min, 1e-12)) if log_y else values
        series.append({"name": name, "color": colors[k], "values": [round(float(v), 5) for v in shown]})
        out_runs.append(
            {
                "id": f"run{k}",
                "name": name,
                "color": colors[k],
                "path": [[round(float(a), 4), round(float(b), 4)] for a, b in np.asarray(path)],
                "text": [fmt(v) for v in values],
            }
        )
    every = np.concatenate([s["values"] for s in series])
    if log_y:
        lo, hi = int(np.floor(every.min())), int(np.ceil(every.max()))
        hi = max(hi, lo + 1)
        stride = max(1, (hi - lo) // 5)
        ticks = [[float(e), power_label(e)] for e in range(lo, hi + 1, stride)]
        ymin, ymax = float(lo), float(hi)
    else:
        values = nice_ticks(float(every.max()))
        ticks, ymin, ymax = [[v, f"{v:g}"] for v in values], 0.0, values[-1]
    return {
        "kind": "paths",
        "id": f"{run_id}/{labels['lang']}/{int(present)}",
        "t": 0,
        "last": int(steps),
        "speed": 1,
        "report": False,  # nothing on this page depends on the step shown: no rerun on Pause
        "present": bool(present),
        "box": [float(x[0]), float(x[-1]), float(y[0]), float(y[-1])],
        "minimum": None if minimum is None else [float(v) for v in minimum],
        "levels": {"n": len(x), "count": levels, "data": base64.b64encode(quantized.tobytes()).decode()},
        "runs": out_runs,
        "labels": labels,
        "curve": {
            "id": "loss",
            "title": labels["curve_title"],
            "xlabel": labels["xlabel"],
            "series": series,
            "ymin": ymin,
            "ymax": ymax,
            "ticks": ticks,
            "diverged": False,
        },
    }
