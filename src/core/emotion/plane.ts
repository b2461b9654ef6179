import type { AffectPoint } from './circumplex.ts';

/**
 * Geometry of the valence–arousal plane as drawn on screen: the visible window, conversions
 * between plane and screen coordinates, zooming about a point, a grid index for finding the
 * point under the pointer among 10,000, and lasso regions.
 */

/** The visible part of the plane: its centre and how many plane units fit across half the view. */
export interface PlaneView {
  centerValence: number;
  centerArousal: number;
  /** Half the visible extent in plane units: 1 shows the whole [−1, 1] square. */
  halfExtent: number;
}

export const FULL_VIEW: PlaneView = { centerValence: 0, centerArousal: 0, halfExtent: 1.08 };
const MIN_HALF_EXTENT = 0.02;

/** A square viewport on screen, in CSS pixels. */
export interface Viewport {
  widthPx: number;
  heightPx: number;
}

function pxPerUnit(view: PlaneView, viewport: Viewport): number {
  return Math.min(viewport.widthPx, viewport.heightPx) / (2 * view.halfExtent);
}

/** Screen position (CSS px, y down) of a plane point (arousal up). */
export function toScreen(point: AffectPoint, view: PlaneView, viewport: Viewport): { x: number; y: number } {
  const k = pxPerUnit(view, viewport);
  return {
    x: viewport.widthPx / 2 + (point.valence - view.centerValence) * k,
    y: viewport.heightPx / 2 - (point.arousal - view.centerArousal) * k,
  };
}

/** Plane point under a screen position. */
export function toPlane(x: number, y: number, view: PlaneView, viewport: Viewport): AffectPoint {
  const k = pxPerUnit(view, viewport);
  return {
    valence: view.centerValence + (x - viewport.widthPx / 2) / k,
    arousal: view.centerArousal - (y - viewport.heightPx / 2) / k,
  };
}

/** Keeps the view inside the plane and within sensible zoom limits. */
export function clampView(view: PlaneView): PlaneView {
  const halfExtent = Math.max(MIN_HALF_EXTENT, Math.min(FULL_VIEW.halfExtent, view.halfExtent));
  const slack = Math.max(0, FULL_VIEW.halfExtent - halfExtent);
  // "+ 0" turns −0 into 0, so views compare equal.
  const clamp = (v: number): number => Math.max(-slack, Math.min(slack, v)) + 0;
  return { centerValence: clamp(view.centerValence), centerArousal: clamp(view.centerArousal), halfExtent };
}

/**
 * Zooms by `factor` (> 1 zooms in) keeping the plane point under (x, y) fixed on screen, as
 * maps do.
 */
export function zoomAt(view: PlaneView, factor: number, x: number, y: number, viewport: Viewport): PlaneView {
  const anchor = toPlane(x, y, view, viewport);
  const halfExtent = view.halfExtent / factor;
  const scaled = { ...view, halfExtent };
  const moved = toPlane(x, y, scaled, viewport);
  return clampView({
    halfExtent,
    centerValence: view.centerValence + (anchor.valence - moved.valence),
    centerArousal: view.centerArousal + (anchor.arousal - moved.arousal),
  });
}

/** Moves the view by a screen-space drag of (dx, dy) CSS pixels. */
export function panBy(view: PlaneView, dxPx: number, dyPx: number, viewport: Viewport): PlaneView {
  const k = pxPerUnit(view, viewport);
  return clampView({ ...view, centerValence: view.centerValence - dxPx / k, centerArousal: view.centerArousal + dyPx / k });
}

/**
 * A uniform grid over [−1, 1]² bucketing point indices, so "which point is near here" looks at
 * a handful of cells instead of every song.
 */
export class PointIndex {
  readonly #cells: Map<number, number[]> = new Map();
  readonly #points: readonly AffectPoint[];
  readonly #cellsPerSide: number;

  constructor(points: readonly AffectPoint[], cellsPerSide = 64) {
    this.#points = points;
    this.#cellsPerSide = cellsPerSide;
    points.forEach((p, i) => {
      const key = this.#key(this.#cell(p.valence), this.#cell(p.arousal));
      const bucket = this.#cells.get(key);
      if (bucket) bucket.push(i);
      else this.#cells.set(key, [i]);
    });
  }

  #cell(v: number): number {
    const c = Math.floor(((Math.max(-1, Math.min(1, v)) + 1) / 2) * this.#cellsPerSide);
    return Math.min(this.#cellsPerSide - 1, c);
  }

  #key(cx: number, cy: number): number {
    return cy * this.#cellsPerSide + cx;
  }

  /** Index of the point nearest `target` within `radius` plane units, or −1. */
  nearest(target: AffectPoint, radius: number, accept: (index: number) => boolean = () => true): number {
    const span = Math.ceil((radius / 2) * this.#cellsPerSide) + 1;
    const cx = this.#cell(target.valence);
    const cy = this.#cell(target.arousal);
    let best = -1;
    let bestDistance = radius * radius;
    for (let y = Math.max(0, cy - span); y <= Math.min(this.#cellsPerSide - 1, cy + span); y++) {
      for (let x = Math.max(0, cx - span); x <= Math.min(this.#cellsPerSide - 1, cx + span); x++) {
        for (const i of this.#cells.get(this.#key(x, y)) ?? []) {
          const p = this.#points[i];
          const d = (p.valence - target.valence) ** 2 + (p.arousal - target.arousal) ** 2;
          if (d <= bestDistance && accept(i)) {
            bestDistance = d;
            best = i;
          }
        }
      }
    }
    return best;
  }
}

/** True when a point lies inside a polygon (even–odd rule); polygons need ≥ 3 vertices. */
export function pointInPolygon(point: AffectPoint, polygon: readonly AffectPoint[]): boolean {
  if (polygon.length < 3) return false;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    const crosses =
      a.arousal > point.arousal !== b.arousal > point.arousal &&
      point.valence < ((b.valence - a.valence) * (point.arousal - a.arousal)) / (b.arousal - a.arousal) + a.valence;
    if (crosses) inside = !inside;
  }
  return inside;
}

/** Drops lasso vertices closer than `minStep` to the previous one (pointer events are dense). */
export function simplifyPath(path: readonly AffectPoint[], minStep: number): AffectPoint[] {
  const out: AffectPoint[] = [];
  for (const p of path) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(p.valence - last.valence, p.arousal - last.arousal) >= minStep) out.push(p);
  }
  return out;
}
