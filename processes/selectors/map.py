"""Layout of the process map (Księga Jakości załącznik 1): PZ, PG and PW as three bands, a box
per active process and a line between each pair of related processes. Computed here, drawn as
SVG by ``processes/map/map.html`` — no JavaScript, readable without styles."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from processes.models import Process
from processes.selectors.register import process_list
from qms.models import User

WIDTH = 1200
PER_ROW = 5
BOX_W, BOX_H = 200, 64
GAP_X, GAP_Y = 30, 24
BAND_PAD_TOP, BAND_PAD = 44, 20


@dataclass
class Box:
    process: Process
    x: int
    y: int
    w: int = BOX_W
    h: int = BOX_H
    lines: list[str] = field(default_factory=list)

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    @property
    def cy(self) -> int:
        return self.y + self.h // 2


@dataclass
class Band:
    category: str
    label: str
    y: int
    height: int
    boxes: list[Box]


def _wrap(text: str, width: int = 26, max_lines: int = 2) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def build_map(processes: list[Process]) -> dict:
    """Bands, boxes and links for ``processes`` (which must prefetch ``related``)."""
    bands: list[Band] = []
    boxes: dict[int, Box] = {}
    y = 0
    for category, label in Process.Category.choices:
        members = [p for p in processes if p.category == category]
        rows = max(1, -(-len(members) // PER_ROW))
        height = BAND_PAD_TOP + rows * (BOX_H + GAP_Y) - GAP_Y + BAND_PAD
        band_boxes = []
        for i, process in enumerate(members):
            row, col = divmod(i, PER_ROW)
            box = Box(
                process=process,
                x=BAND_PAD + col * (BOX_W + GAP_X),
                y=y + BAND_PAD_TOP + row * (BOX_H + GAP_Y),
                lines=_wrap(process.name),
            )
            boxes[process.pk] = box
            band_boxes.append(box)
        bands.append(
            Band(category=category, label=str(label), y=y, height=height, boxes=band_boxes)
        )
        y += height + 16
    links = []
    seen: set[tuple[int, int]] = set()
    for process in processes:
        for other in process.related.all():
            key = (min(process.pk, other.pk), max(process.pk, other.pk))
            if key in seen or other.pk not in boxes:
                continue
            seen.add(key)
            a, b = boxes[key[0]], boxes[key[1]]
            links.append(
                {"x1": a.cx, "y1": a.cy, "x2": b.cx, "y2": b.cy, "a": a.process, "b": b.process}
            )
    return {"bands": bands, "links": links, "width": WIDTH, "height": max(y - 16, 100)}


def map_processes(*, user: User) -> list[Process]:
    """The active processes ``user`` may read, in register order, each with its active related
    processes prefetched (what ``build_map`` needs)."""
    return list(
        process_list(user=user)
        .filter(status=Process.Status.ACTIVE)
        .prefetch_related(
            Prefetch("related", queryset=Process.objects.filter(status=Process.Status.ACTIVE))
        )
        .order_by("sort_key", "code")
    )
