"""Generator that produced the first version of atlas.svg and regions.csv (a one-off tool).

Run it from the repository root with the project's virtualenv:

    .venv/bin/python resources/bodymap/make_atlas.py [OUTPUT_DIR]

After that first version, atlas.svg and regions.csv are the source of truth: designers edit them
(in Inkscape or a text editor) and nobody re-runs this script, because it overwrites both files.
It is kept to show how the drawing was built and to start again from scratch if it is redone.

How it works. One half of the figure (the viewer's left half: u >= 0 is the distance from the
midline, y grows downwards, head 50-173, soles ~955) is drawn as smooth closed curves (head,
trunk, arm, leg) through hand-placed points (centripetal Catmull-Rom splines), unioned with
shapely and rounded off with a small closing. That half is carved into regions with cut lines;
the other half is its exact mirror, and midline regions are a half piece joined to its mirror.
So regions never overlap, together cover the silhouette, and left and right are exact mirrors.
Front and back share the silhouette and differ only in how it is carved.
"""

from __future__ import annotations

import csv
import itertools
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

XY = tuple[float, float]

CANVAS = 1000
VIEW_CENTRE = {"front": 250.0, "back": 750.0}
CODE_PREFIX = {"front": "F", "back": "B"}
FAR = 2000.0  # far enough to close a cut zone well outside the figure
DECIMALS = 1

# --- smooth curves ---------------------------------------------------------------------------


def catmull_rom(points: Sequence[XY], samples: int = 10, closed: bool = True) -> list[XY]:
    """Sample a centripetal Catmull-Rom spline through `points` (no loops or overshoot)."""
    pts = list(points)
    if closed:
        ctrl = [pts[-1], *pts, pts[0], pts[1]]
    else:
        first = (2 * pts[0][0] - pts[1][0], 2 * pts[0][1] - pts[1][1])
        last = (2 * pts[-1][0] - pts[-2][0], 2 * pts[-1][1] - pts[-2][1])
        ctrl = [first, *pts, last]
    out: list[XY] = []
    for i in range(1, len(ctrl) - 2):
        out.extend(_spline_segment(ctrl[i - 1 : i + 3], samples))
    if not closed:
        out.append(pts[-1])
    return out


def _spline_segment(p: Sequence[XY], samples: int) -> list[XY]:
    knots = [0.0]
    for a, b in itertools.pairwise(p):
        knots.append(knots[-1] + max(math.dist(a, b), 1e-6) ** 0.5)
    t0, t1, t2, t3 = knots

    def lerp(a: XY, b: XY, ta: float, tb: float, t: float) -> XY:
        wa, wb = (tb - t) / (tb - ta), (t - ta) / (tb - ta)
        return (wa * a[0] + wb * b[0], wa * a[1] + wb * b[1])

    out = []
    for k in range(samples):
        t = t1 + (t2 - t1) * k / samples
        a1, a2, a3 = (
            lerp(p[0], p[1], t0, t1, t),
            lerp(p[1], p[2], t1, t2, t),
            lerp(p[2], p[3], t2, t3, t),
        )
        b1, b2 = lerp(a1, a2, t0, t2, t), lerp(a2, a3, t1, t3, t)
        out.append(lerp(b1, b2, t1, t2, t))
    return out


def curve(*points: XY) -> list[XY]:
    """A smooth cut line through `points`."""
    return catmull_rom(points, samples=8, closed=False)


def smooth_shape(points: Sequence[XY], samples: int = 10) -> Polygon:
    return Polygon(catmull_rom(points, samples)).buffer(0)


def mirrored_loop(half: Sequence[XY]) -> list[XY]:
    """A symmetric closed loop from its u >= 0 half, listed from the top of the midline down."""
    return [*half, *[(-u, y) for u, y in reversed(half) if u > 0]]


def mirror(geom: BaseGeometry) -> BaseGeometry:
    return affinity.scale(geom, xfact=-1, yfact=1, origin=(0, 0))


# --- the silhouette --------------------------------------------------------------------------

HEAD = [
    (0, 50), (19, 52), (33, 59), (41, 71), (45, 87), (45.5, 100),
    (49, 102), (51.5, 109), (50.5, 121), (47.5, 131), (43.5, 136),
    (41, 143), (37, 153), (31, 162), (22, 168.5), (11, 172), (0, 173),
]  # fmt: skip

TRUNK = [
    (0, 150), (20, 151), (23, 165), (24.5, 184), (27, 197), (36, 205), (50, 211), (66, 216),
    (77, 221.5), (84, 232), (86.5, 250), (86.5, 270), (86, 292),
    (84, 310), (81.5, 335), (77, 360), (72.5, 385), (70.5, 404), (72.5, 423), (77.5, 446),
    (84.5, 470), (89, 492), (90.5, 512), (89, 530), (76, 544), (43, 547), (15, 542), (0, 540),
]  # fmt: skip

LEG = [
    (84, 475), (90.5, 512), (90.8, 530), (90, 548), (88, 578), (84, 612), (79.5, 648), (75, 680),
    (71.5, 700), (70, 718), (71, 736), (74.5, 760), (75.5, 780), (72.5, 808), (66.5, 840),
    (61.5, 865), (59.5, 882), (60.5, 896),
    (65, 908), (73, 922), (80, 935), (82, 945), (77.5, 952), (66, 955), (52, 954.5), (43, 951),
    (38.5, 941), (37.5, 926), (37.5, 910),
    (36.5, 895), (35.5, 880), (33.5, 860), (31, 835), (27.5, 805), (25.5, 780), (26, 755),
    (28, 736), (27, 718), (25, 700), (20.5, 680), (16, 655), (11.5, 625), (7.5, 595),
    (4.5, 567), (2, 548), (0.6, 530), (0.6, 500),
]  # fmt: skip

# The arm hangs from the shoulder joint; lengths and angles away from the vertical.
SHOULDER_JOINT: XY = (88.0, 250.0)
DELTOID_RADIUS = 26.0
UPPER_ARM = (172.0, 15.0)
FOREARM = (142.0, 18.0)
HAND_TILT = 16.0
# Half-widths (outer, inner) at fractions of the upper arm and of the forearm.
UPPER_ARM_WIDTHS = [
    (0.12, 25.5, 21.0), (0.30, 23.0, 20.5), (0.50, 20.5, 20.0), (0.70, 20.0, 19.5),
    (0.88, 18.5, 18.5), (1.00, 18.0, 18.0),
]  # fmt: skip
FOREARM_WIDTHS = [
    (0.14, 20.5, 18.5), (0.32, 20.0, 18.0), (0.52, 17.5, 16.0), (0.72, 15.0, 14.0),
    (0.90, 13.0, 12.5), (1.00, 12.5, 12.0),
]  # fmt: skip
# The hand, palm forward, in its own frame: a along it from the wrist, b towards the thumb.
HAND = [
    (0, 11.5), (8, 15), (18, 19.5), (30, 23.5), (42, 26.5), (51, 28), (56, 27), (58, 24),
    (55, 20.5), (48, 17.5), (40, 14.5), (50, 13.5), (64, 13.5), (77, 11.5), (86, 7.5), (90, 2),
    (89, -4.5), (84, -10.5), (72, -15), (55, -17.5), (36, -18), (18, -16.5), (7, -13), (0, -11.5),
]  # fmt: skip


def _direction(degrees: float) -> XY:
    rad = math.radians(degrees)
    return (math.sin(rad), math.cos(rad))


def _along(p: XY, d: XY, length: float) -> XY:
    return (p[0] + d[0] * length, p[1] + d[1] * length)


def arm_frame(fraction: float, segment: str) -> tuple[XY, XY, XY]:
    """Axis point, direction and outward normal at `fraction` of the upper arm or forearm."""
    length, degrees = UPPER_ARM
    start = SHOULDER_JOINT
    if segment == "fore":
        start = _along(start, _direction(degrees), length)
        length, degrees = FOREARM
    d = _direction(degrees)
    return _along(start, d, length * fraction), d, (d[1], -d[0])


def arm_shape() -> Polygon:
    """Deltoid cap, outer edge down to the wrist, the hand, inner edge back up."""
    _, d, n = arm_frame(0, "upper")
    r = DELTOID_RADIUS
    cap = [  # a half circle over the shoulder joint, from the armpit side round to the outside
        _along(_along(SHOULDER_JOINT, n, r * math.cos(phi)), d, -r * math.sin(phi))
        for phi in (math.pi * k / 6 for k in range(6, -1, -1))
    ]
    outer: list[XY] = []
    inner: list[XY] = []
    for segment, widths in (("upper", UPPER_ARM_WIDTHS), ("fore", FOREARM_WIDTHS)):
        for fraction, w_out, w_in in widths:
            p, _, normal = arm_frame(fraction, segment)
            outer.append(_along(p, normal, w_out))
            inner.append(_along(p, normal, -w_in))
    wrist, _, _ = arm_frame(1, "fore")
    hd = _direction(HAND_TILT)
    hn = (hd[1], -hd[0])
    hand = [_along(_along(wrist, hd, a), hn, b) for a, b in HAND]
    return smooth_shape([*cap, *outer, *hand[1:-1], *reversed(inner)], samples=8)


def half_silhouette() -> Polygon:
    """The u >= 0 half of the figure: head, trunk, one arm and one leg, smoothly joined."""
    head = smooth_shape(mirrored_loop(HEAD))
    trunk = smooth_shape(mirrored_loop(TRUNK))
    whole = unary_union([head, trunk, smooth_shape(LEG), arm_shape()])
    # Round off the seams where the parts meet, but keep the notch beside the thumb.
    fillets = whole.buffer(5, quad_segs=6).buffer(-5, quad_segs=6).difference(whole)
    closed = whole.union(fillets.difference(across_arm(0.9, "fore")))
    # Where the trapezius meets the deltoid the seam wants a wider fillet than elsewhere.
    seam = whole.buffer(12, quad_segs=6).buffer(-12, quad_segs=6)
    closed = closed.union(seam.intersection(_box(55, 195, 110, 245)))
    half = single(closed.intersection(_box(0, 0, FAR, FAR)), "silhouette")
    assert not half.interiors, "the silhouette must have no holes"
    return single(half.simplify(0.08), "silhouette")


def _box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


# --- cut zones -------------------------------------------------------------------------------


def side_of(line: Sequence[XY], toward: XY) -> Polygon:
    """The part of the plane on the side of the (extended) polyline that contains `toward`."""
    (x0, y0), (x1, y1) = line[0], line[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    start = (x0 - dx * FAR, y0 - dy * FAR)
    end = (x1 + dx * FAR, y1 + dy * FAR)
    for sign in (1, -1):
        nx, ny = -dy * sign * FAR, dx * sign * FAR
        zone = Polygon(
            [start, *line, end, (end[0] + nx, end[1] + ny), (start[0] + nx, start[1] + ny)]
        )
        if zone.contains(Point(toward)):
            return zone
    raise ValueError(f"{toward} lies on the cut line {line}")


def above(*line: XY) -> Polygon:
    return side_of(line, (line[0][0], line[0][1] - FAR / 2))


def below(*line: XY) -> Polygon:
    return side_of(line, (line[0][0], line[0][1] + FAR / 2))


def level(y: float) -> Polygon:
    """Everything below the height y."""
    return below((0, y), (200, y))


def across_arm(fraction: float, segment: str) -> Polygon:
    """Everything on the hand side of a cut square across the arm."""
    p, d, n = arm_frame(fraction, segment)
    return side_of([_along(p, n, -60), _along(p, n, 60)], _along(p, d, 100))


def armpit() -> XY:
    p, _, n = arm_frame(0.34, "upper")
    return _along(p, n, -14)


def shoulder_border(front: bool) -> list[XY]:
    """Medial border of the shoulder cap, from above the figure down to the armpit (from the
    front: the deltopectoral groove)."""
    if front:
        return [(60, 150), *curve((72, 229), (84, 258), armpit())]
    return [(78, 150), *curve((80, 214), (84, 240), (89, 280), armpit())]


def shoulder_zone(front: bool) -> Polygon:
    """The shoulder cap above a cut across the upper arm; from the front also the slope up
    to the neck (the trapezius seen from in front), bounded below by the collarbone."""
    p, _, n = arm_frame(0.34, "upper")
    outer = _along(p, n, 80)
    border = shoulder_border(front)
    if front:
        collarbone = curve((27, 203), (50, 221), (72, 229))
        border = [(34, 193), *collarbone[:-1], *border[1:]]
    return Polygon([*border, outer, (outer[0] + 200, 100), (border[0][0], 100)])


def arm_zone(front: bool) -> Polygon:
    """Lateral of the line between trunk and arm: the shoulder border, then down the gap."""
    return side_of([*shoulder_border(front), (99, 400), (118, 560), (130, 700)], (300, 400))


# --- carving ---------------------------------------------------------------------------------


def single(geom: BaseGeometry, name: str) -> Polygon:
    """The one polygon of a piece, ignoring numerical crumbs along the cut lines."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and g.area > 0.5]
    if len(parts) != 1:
        raise AssertionError(
            f"{name}: expected one piece, got areas {[round(g.area) for g in parts]}"
        )
    return parts[0]


class Carver:
    """Carves named pieces out of a shape in order; each piece is what a zone leaves."""

    def __init__(self, shape: BaseGeometry) -> None:
        self.rest = shape
        self.pieces: dict[str, Polygon] = {}

    def cut(self, zone: BaseGeometry, name: str = "piece") -> Polygon:
        piece = single(self.rest.intersection(zone), name)
        self.rest = self.rest.difference(piece)
        return piece

    def take(self, name: str, zone: BaseGeometry) -> None:
        self.pieces[name] = self.cut(zone, name)

    def take_rest(self, name: str) -> None:
        self.pieces[name] = single(self.rest, name)


NECK_BASE = [(0, 213), (18, 210), (27, 203), (34, 193), (55, 150)]
KNEE_TOP, KNEE_BOTTOM = 682.0, 736.0
ANKLE_TOP, ANKLE_BOTTOM = 866.0, 904.0


def carve_arm(arm: Polygon) -> dict[str, Polygon]:
    c = Carver(arm)
    c.take("HAND", across_arm(1.06, "fore"))
    c.take("WRIST", across_arm(0.86, "fore"))
    c.take("FOREARM", across_arm(0.16, "fore"))
    c.take("ELBOW", across_arm(0.86, "upper"))
    c.take_rest("UPPER_ARM")
    return c.pieces


def carve_leg(c: Carver, thigh: str, knee: str, lower_leg: str) -> None:
    c.take("FOOT", level(ANKLE_BOTTOM))
    c.take("ANKLE", level(ANKLE_TOP))
    c.take(lower_leg, level(KNEE_BOTTOM))
    c.take(knee, level(KNEE_TOP))
    c.take_rest(thigh)


def front_pieces(half: Polygon) -> dict[str, Polygon]:
    c = Carver(half)
    head = Carver(c.cut(above((0, 173.5), (14, 171), (24, 166), (32, 164), (60, 168))))
    head.take("HEAD_TEMPLE", side_of([(21, 0), (25, 60), (31, 117), (100, 117)], (100, 0)))
    head.take("HEAD_FOREHEAD", above(*curve((0, 101), (16, 100), (27, 95), (40, 90))))
    head.take("JAW", below(*curve((0, 151), (15, 149), (26, 138), (31, 117)), (100, 117)))
    head.take_rest("FACE")
    c.take("NECK", above(*NECK_BASE))
    c.take("SHOULDER", shoulder_zone(front=True))
    arm = carve_arm(c.cut(arm_zone(front=True)))
    c.take("CHEST", above(*curve((0, 334), (30, 339), (62, 336), (100, 322))))
    c.take("ABDOMEN_UPPER", above((0, 410), (200, 410)))
    c.take("ABDOMEN_LOWER", above(*curve((0, 541), (9, 529), (45, 504), (84, 464), (120, 444))))
    c.take("HIP", above((0, 572), (200, 572)))
    carve_leg(c, thigh="THIGH", knee="KNEE", lower_leg="SHIN")
    return head.pieces | c.pieces | arm


def back_pieces(half: Polygon) -> dict[str, Polygon]:
    c = Carver(half)
    head = Carver(c.cut(above((0, 160), (18, 159), (26, 158), (33, 161), (60, 168))))
    head.take("HEAD_VERTEX", above(*curve((0, 93), (24, 90), (48, 82))))
    head.take_rest("HEAD_OCCIPUT")
    c.take("NECK", above(*NECK_BASE))
    c.take("SHOULDER", shoulder_zone(front=False))
    arm = carve_arm(c.cut(arm_zone(front=False)))
    c.take("TRAPEZIUS", above((0, 233), (40, 235), (80, 238), (120, 238)))
    c.take("UPPER_BACK", above((0, 326), (50, 324), (120, 318)))
    c.take("MID_BACK", above((0, 398), (50, 397), (120, 393)))
    c.take("LOW_BACK", above((0, 452), (28, 454), (70, 448), (120, 440)))
    sacrum_edge = curve((28, 454), (23, 486), (12, 516), (0, 532))
    c.take("SACRUM", Polygon([(-1, 440), *sacrum_edge, (-1, 532)]))
    gluteal_fold = curve((0, 541), (18, 558), (48, 571), (78, 569), (97, 557), (130, 540))
    c.take("BUTTOCK", above(*gluteal_fold))
    carve_leg(c, thigh="THIGH", knee="POPLITEAL", lower_leg="CALF")
    return head.pieces | c.pieces | arm


# --- naming ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How a piece becomes regions: display name ("{side}" = right/left), midline, WPI site."""

    name: str
    midline: bool = False
    wpi: str = ""  # paired sites get the side added: jaw -> jaw_R


# In list order: head to toe, trunk before limbs.
SPECS: dict[str, dict[str, Spec]] = {
    "front": {
        "HEAD_FOREHEAD": Spec("Forehead", midline=True),
        "HEAD_TEMPLE": Spec("{side} temple"),
        "FACE": Spec("{side} side of the face"),
        "JAW": Spec("{side} jaw", wpi="jaw"),
        "NECK": Spec("{side} neck (front)", wpi="neck"),
        "SHOULDER": Spec("{side} shoulder (front)", wpi="shoulder_girdle"),
        "CHEST": Spec("{side} chest", wpi="chest"),
        "ABDOMEN_UPPER": Spec("{side} upper abdomen", wpi="abdomen"),
        "ABDOMEN_LOWER": Spec("{side} lower abdomen", wpi="abdomen"),
        "HIP": Spec("{side} hip and groin", wpi="hip"),
        "UPPER_ARM": Spec("{side} upper arm (front)", wpi="upper_arm"),
        "ELBOW": Spec("{side} elbow (front)", wpi="lower_arm"),
        "FOREARM": Spec("{side} forearm (front)", wpi="lower_arm"),
        "WRIST": Spec("{side} wrist (front)", wpi="lower_arm"),
        "HAND": Spec("{side} palm and fingers"),
        "THIGH": Spec("{side} thigh (front)", wpi="upper_leg"),
        "KNEE": Spec("{side} knee", wpi="lower_leg"),
        "SHIN": Spec("{side} shin", wpi="lower_leg"),
        "ANKLE": Spec("{side} ankle (front)", wpi="lower_leg"),
        "FOOT": Spec("Top of the {side} foot"),
    },
    "back": {
        "HEAD_VERTEX": Spec("Top of the head", midline=True),
        "HEAD_OCCIPUT": Spec("{side} occiput (back of the head)"),
        "NECK": Spec("{side} neck (back)", wpi="neck"),
        "TRAPEZIUS": Spec("{side} upper trapezius", wpi="shoulder_girdle"),
        "SHOULDER": Spec("{side} shoulder (back)", wpi="shoulder_girdle"),
        "UPPER_BACK": Spec("{side} upper back", wpi="upper_back"),
        "MID_BACK": Spec("{side} mid back", wpi="upper_back"),
        "LOW_BACK": Spec("{side} low back", wpi="lower_back"),
        "SACRUM": Spec("Sacrum and tailbone", midline=True, wpi="lower_back"),
        "BUTTOCK": Spec("{side} buttock", wpi="hip"),
        "UPPER_ARM": Spec("{side} upper arm (back)", wpi="upper_arm"),
        "ELBOW": Spec("{side} elbow (back)", wpi="lower_arm"),
        "FOREARM": Spec("{side} forearm (back)", wpi="lower_arm"),
        "WRIST": Spec("{side} wrist (back)", wpi="lower_arm"),
        "HAND": Spec("Back of the {side} hand"),
        "THIGH": Spec("{side} thigh (back)", wpi="upper_leg"),
        "POPLITEAL": Spec("Back of the {side} knee", wpi="lower_leg"),
        "CALF": Spec("{side} calf", wpi="lower_leg"),
        "ANKLE": Spec("{side} ankle and Achilles tendon", wpi="lower_leg"),
        "FOOT": Spec("{side} heel and sole"),
    },
}
UNPAIRED_WPI_SITES = {"neck", "upper_back", "lower_back", "chest", "abdomen"}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    view: str
    side: str  # R, L or midline
    wpi_site: str
    shape: Polygon


def build_regions(view: str, half: Polygon) -> list[Region]:
    pieces = front_pieces(half) if view == "front" else back_pieces(half)
    assert pieces.keys() == SPECS[view].keys(), pieces.keys() ^ SPECS[view].keys()
    # The u >= 0 half is drawn on the viewer's left: the client's right when seen from the
    # front, the client's left when seen from the back.
    drawn_side, mirrored_side = ("R", "L") if view == "front" else ("L", "R")
    regions = []
    for key, spec in SPECS[view].items():
        code = f"{CODE_PREFIX[view]}_{key}"
        piece = snapped(pieces[key], code)
        if spec.midline:
            whole = single(unary_union([piece, mirror(piece)]), code)
            regions.append(Region(code, spec.name, view, "midline", spec.wpi, whole))
            continue
        halves = [(drawn_side, piece), (mirrored_side, mirror(piece))]
        for side, shape in sorted(halves, key=lambda half: half[0] != "R"):  # right first
            word = "right" if side == "R" else "left"
            name = spec.name.format(side=word)
            wpi = (
                spec.wpi if spec.wpi in UNPAIRED_WPI_SITES or not spec.wpi else f"{spec.wpi}_{side}"
            )
            regions.append(
                Region(f"{code}_{side}", name[0].upper() + name[1:], view, side, wpi, shape)
            )
    return regions


def snapped(shape: Polygon, name: str) -> Polygon:
    """The shape on the output grid, still valid: rounding alone can cross nearby edges."""
    return single(shapely.set_precision(shape, 10**-DECIMALS), name)


# --- output ----------------------------------------------------------------------------------


def svg_ring(shape: Polygon, view: str) -> list[XY]:
    """Exterior ring in SVG coordinates, rounded so that mirrored points stay exact mirrors."""
    centre = VIEW_CENTRE[view]
    coords = list(shape.exterior.coords)[:-1]
    ring: list[XY] = []
    for u, y in coords:
        p = (round(centre - round(u, DECIMALS), DECIMALS), round(y, DECIMALS))
        if not ring or p != ring[-1]:
            ring.append(p)
    if ring[0] == ring[-1]:
        ring.pop()
    return ring


def path_data(ring: Sequence[XY]) -> str:
    pts = [f"{_num(x)},{_num(y)}" for x, y in ring]
    return "M" + pts[0] + "L" + " ".join(pts[1:]) + "Z"


def _num(value: float) -> str:
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def svg_document(regions: Sequence[Region], outline: Polygon) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Fascia body map atlas, front and back. Every <path> in the front and back layers",
        "     is one body region and its id is the region code; regions.csv names them and",
        "     README.md says what must stay true when editing. R and L are the client's right",
        "     and left. An original drawing made for Fascia. -->",
        '<svg xmlns="http://www.w3.org/2000/svg"',
        '     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"',
        f'     width="{CANVAS}" height="{CANVAS}" viewBox="0 0 {CANVAS} {CANVAS}">',
        "  <title>Fascia body map (front and back)</title>",
    ]
    for view in VIEW_CENTRE:
        lines.append(
            f'  <g id="{view}" inkscape:groupmode="layer" inkscape:label="{view.title()}"'
            ' fill="#f6f3ef" stroke="#9b948b" stroke-width="0.8" stroke-linejoin="round">'
        )
        for r in regions:
            if r.view == view:
                d = path_data(svg_ring(r.shape, view))
                lines.append(f'    <path id="{r.code}" inkscape:label="{r.name}" d="{d}"/>')
        lines.append("  </g>")
    lines.append(
        '  <g id="outline" inkscape:groupmode="layer" inkscape:label="Outline"'
        ' fill="none" stroke="#4a4641" stroke-width="1.6" stroke-linejoin="round">'
    )
    for view in VIEW_CENTRE:
        lines.append(f'    <path id="outline-{view}" d="{path_data(svg_ring(outline, view))}"/>')
    lines.append("  </g>")
    lines.append(
        '  <g id="labels" inkscape:groupmode="layer" inkscape:label="Labels"'
        ' font-family="sans-serif" fill="#4a4641" text-anchor="middle">'
    )
    for view, centre in VIEW_CENTRE.items():
        # From the front the client's right is on the viewer's left; from the back, the right.
        right = centre - 190 if view == "front" else centre + 190
        left = 2 * centre - right
        lines += [
            f'    <g id="labels-{view}">',
            f'      <text id="title-{view}" x="{_num(centre)}" y="32" font-size="26">'
            f"{view.title()}</text>",
            f'      <text id="side-{view}-R" x="{_num(right)}" y="120" font-size="34">R</text>',
            f'      <text id="side-{view}-L" x="{_num(left)}" y="120" font-size="34">L</text>',
            f'      <text id="side-note-{view}" x="{_num(centre)}" y="990" font-size="16">'
            "R and L are the client's right and left</text>",
            "    </g>",
        ]
    lines += [
        "  </g>",
        "</svg>",
        "",
    ]
    return "\n".join(lines)


def write_csv(regions: Sequence[Region], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "view", "side", "wpi_site"])
        for r in regions:
            writer.writerow([r.code, r.name, r.view, r.side, r.wpi_site])


def main(argv: Sequence[str]) -> None:
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    half = half_silhouette()
    half = snapped(half, "silhouette")
    outline = single(unary_union([half, mirror(half)]), "outline")
    regions = [r for view in VIEW_CENTRE for r in build_regions(view, half)]
    (out_dir / "atlas.svg").write_text(svg_document(regions, outline), encoding="utf-8")
    write_csv(regions, out_dir / "regions.csv")
    print(f"{len(regions)} regions written to {out_dir}")


if __name__ == "__main__":
    main(sys.argv)
