"""The five measured conditions a toy world must meet to stand in for the real problem.

Issue 14 and DESIGN.md ("Embedded default: the toy world") state them; each is a plain check of
measured values, so the demo, the findings script and the tests all judge a world the same way:

1. **Room to adapt**: zero-shot base and new accuracy both in [40, 75] %.
2. **Tuning helps the classes it sees**: CoOp's base accuracy >= zero-shot's + 10 points.
3. **Tuning hurts the classes it does not see**: CoOp's new accuracy < zero-shot's.
4. **Attention shift**: on test images, CoOp's foreground shift index (share of the attention
   map's mass outside the object's exact mask) is higher than zero-shot's.
5. **Masks useful but imperfect**: the segmenter's training-split masks are right (IoU with the
   exact mask >= :data:`RIGHT_IOU`) on most images (>= :data:`MOST`) and wrong
   (IoU < :data:`WRONG_IOU`) on some (between :data:`SOME` and :data:`MOST_WRONG`).
"""
from dataclasses import asdict, dataclass
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np

#: Condition 1: zero-shot accuracy range (%).
ROOM_RANGE = (40.0, 75.0)
#: Condition 2: CoOp's least gain on base classes (points).
MIN_BASE_GAIN = 10.0
#: Condition 5: IoU of a right and of a wrong mask, and the shares that make "most" and "some".
RIGHT_IOU, WRONG_IOU = 0.75, 0.5
MOST, SOME, MOST_WRONG = 0.6, 0.05, 0.4


@dataclass
class Condition:
    """One condition, its measured values and whether it holds.

    Attributes:
        number (int): 1 to 5.
        name (str): short name.
        holds (bool): the verdict.
        measured (str): the measured values, as a reader checks them.
        rule (str): the rule, in words.
    """
    number: int
    name: str
    holds: bool
    measured: str
    rule: str

    def line(self) -> str:
        mark = 'holds' if self.holds else 'FAILS'
        return f'{self.number}. {self.name:<28s} {mark:5s}  {self.measured}  ({self.rule})'


def mask_iou(pred: np.ndarray, exact: np.ndarray) -> float:
    """IoU of two binary masks (> 0 is foreground); 1 when both are empty."""
    p, e = np.asarray(pred) > 0, np.asarray(exact) > 0
    union = np.logical_or(p, e).sum()
    return 1.0 if union == 0 else float(np.logical_and(p, e).sum() / union)


def iou_summary(ious: Sequence[float]) -> Dict[str, float]:
    """Shares of right / middling / wrong masks, and the IoU quartiles."""
    ious = np.asarray(ious, dtype=np.float64)
    if ious.size == 0:
        raise ValueError('No mask IoU to summarize: the mask folder holds no mask of the split.')
    return dict(
        images=int(ious.size),
        mean=float(ious.mean()),
        right=float((ious >= RIGHT_IOU).mean()),
        wrong=float((ious < WRONG_IOU).mean()),
        q25=float(np.quantile(ious, 0.25)),
        median=float(np.median(ious)),
        q75=float(np.quantile(ious, 0.75)))


def check_conditions(zeroshot: Mapping[str, float],
                     coop: Mapping[str, float],
                     shift: Optional[Mapping[str, float]] = None,
                     masks: Optional[Mapping[str, float]] = None) -> List[Condition]:
    """Judges the five conditions from measured values.

    Args:
        zeroshot (Mapping): zero-shot ``base`` and ``new`` accuracy (%).
        coop (Mapping): CoOp's ``base`` and ``new`` accuracy (%).
        shift (Mapping, optional): foreground shift index of ``zeroshot`` and ``coop``; condition 4
            is left out without it.
        masks (Mapping, optional): :func:`iou_summary` of the segmenter's masks; condition 5 is
            left out without it.

    Returns:
        list[Condition]: the judged conditions, in order.
    """
    lo, hi = ROOM_RANGE
    zb, zn, cb, cn = zeroshot['base'], zeroshot['new'], coop['base'], coop['new']
    out = [
        Condition(1, 'room to adapt', lo <= zb <= hi and lo <= zn <= hi,
                  f'zero-shot base {zb:.2f}, new {zn:.2f}', f'both in [{lo:g}, {hi:g}]'),
        Condition(2, 'tuning helps seen classes', cb >= zb + MIN_BASE_GAIN,
                  f'CoOp base {cb:.2f} vs zero-shot {zb:.2f} ({cb - zb:+.2f})',
                  f'gain >= {MIN_BASE_GAIN:g}'),
        Condition(3, 'tuning hurts unseen classes', cn < zn,
                  f'CoOp new {cn:.2f} vs zero-shot {zn:.2f} ({cn - zn:+.2f})', 'below zero-shot'),
    ]
    if shift is not None:
        zs, cs = shift['zeroshot'], shift['coop']
        out.append(
            Condition(4, 'attention moves off object', cs > zs,
                      f'shift index CoOp {cs:.3f} vs zero-shot {zs:.3f}',
                      'CoOp higher; Grad-CAM, test images, exact masks'))
    if masks is not None:
        right, wrong = masks['right'], masks['wrong']
        out.append(
            Condition(
                5, 'masks useful but imperfect', right >= MOST and SOME <= wrong <= MOST_WRONG,
                f'IoU >= {RIGHT_IOU:g} on {100 * right:.0f}%, '
                f'< {WRONG_IOU:g} on {100 * wrong:.0f}% (median {masks["median"]:.2f})',
                f'right on >= {100 * MOST:.0f}%, wrong on {100 * SOME:.0f}-{100 * MOST_WRONG:.0f}%')
        )
    return out


def conditions_to_dict(conditions: Sequence[Condition]) -> List[dict]:
    return [asdict(c) for c in conditions]
