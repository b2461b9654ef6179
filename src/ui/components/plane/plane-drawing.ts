/**
 * The emotion plane's drawing, one layer per function, in the order EmotionPlane draws them
 * (each leaves the context's styles as the next expects: text is centred vertically from the
 * mood names on). Sizes are CSS pixels.
 */
import { MOODS, MOOD_ANGLE_DEGREES, type AffectPoint, type MoodId } from '../../../core/emotion/circumplex.ts';
import { toScreen, type PlaneView, type Viewport } from '../../../core/emotion/plane.ts';
import { MOOD_COLOURS } from '../../mood-colours.ts';
import { DiscPainter, hexToRgb, type DiscBatch } from './dot-raster.ts';

/** A dot on the plane: a song, or anything else with a place and a mood. */
export interface PlanePoint {
  id: string;
  valence: number;
  arousal: number;
  mood: MoodId;
}

/** A labelled marker drawn above the dots (the listener's mood, a target). */
export interface PlaneMarker {
  id: string;
  valence: number;
  arousal: number;
  label: string;
  kind: 'current' | 'target' | 'voice' | 'face';
}

/** A cleared 2D context in CSS pixels, with where plane points land on it. */
export interface PlaneCanvas {
  ctx: CanvasRenderingContext2D;
  widthPx: number;
  heightPx: number;
  /** Screen position of a plane point, CSS px. */
  at: (p: AffectPoint) => { x: number; y: number };
  /** Screen position of the plane's centre (neutral), CSS px. */
  origin: { x: number; y: number };
  /** CSS px per plane unit (the unit circle's radius). */
  unitPx: number;
  /** The page's font stack, for every label. */
  fontFamily: string;
  /** Device pixels per CSS pixel of the canvas behind `ctx`. */
  pixelRatio: number;
}

/** Sizes the canvas to the viewport at the device's pixel ratio, clears it, and maps the view onto it. */
export function preparePlaneCanvas(
  canvas: HTMLCanvasElement,
  ctx: CanvasRenderingContext2D,
  opts: { view: PlaneView; viewport: Viewport; devicePixelRatio: number; fontFamily: string },
): PlaneCanvas {
  const { view, viewport, devicePixelRatio: dpr } = opts;
  const { widthPx, heightPx } = viewport;
  if (canvas.width !== Math.round(widthPx * dpr) || canvas.height !== Math.round(heightPx * dpr)) {
    canvas.width = Math.round(widthPx * dpr);
    canvas.height = Math.round(heightPx * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, widthPx, heightPx);
  const at = (p: AffectPoint): { x: number; y: number } => toScreen(p, view, viewport);
  const origin = at({ valence: 0, arousal: 0 });
  return { ctx, widthPx, heightPx, at, origin, unitPx: at({ valence: 1, arousal: 0 }).x - origin.x, fontFamily: opts.fontFamily, pixelRatio: dpr };
}

/** Octant wedges tinted by mood inside the unit circle, the circle, and the two axes. */
export function drawMoodWheel({ ctx, at, origin, unitPx }: PlaneCanvas): void {
  for (const mood of MOODS) {
    const centre = (-MOOD_ANGLE_DEGREES[mood] * Math.PI) / 180;
    ctx.beginPath();
    ctx.moveTo(origin.x, origin.y);
    ctx.arc(origin.x, origin.y, unitPx, centre - Math.PI / 8, centre + Math.PI / 8);
    ctx.closePath();
    ctx.fillStyle = MOOD_COLOURS[mood] + '14';
    ctx.fill();
  }
  ctx.strokeStyle = 'rgba(167, 173, 187, 0.35)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.arc(origin.x, origin.y, unitPx, 0, Math.PI * 2);
  const tl = at({ valence: -1, arousal: 1 });
  const br = at({ valence: 1, arousal: -1 });
  ctx.moveTo(tl.x, origin.y);
  ctx.lineTo(br.x, origin.y);
  ctx.moveTo(origin.x, tl.y);
  ctx.lineTo(origin.x, br.y);
  ctx.stroke();
}

/** Each mood's name in its colour near the rim (smaller on a compact plane). */
export function drawMoodNames({ ctx, at, fontFamily }: PlaneCanvas, compact: boolean, moodName: (mood: MoodId) => string): void {
  ctx.font = `600 ${compact ? 10 : 11}px ${fontFamily}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const mood of MOODS) {
    const a = (MOOD_ANGLE_DEGREES[mood] * Math.PI) / 180;
    const p = at({ valence: 0.86 * Math.cos(a), arousal: 0.86 * Math.sin(a) });
    ctx.fillStyle = MOOD_COLOURS[mood];
    ctx.fillText(moodName(mood), p.x, p.y);
  }
}

/** The axes' names at the plane's edges; none on a compact plane (they would cover the moods). */
export function drawAxisNames(
  { ctx, origin, widthPx, heightPx, fontFamily }: PlaneCanvas,
  compact: boolean,
  names: { pleasant: string; unpleasant: string; excited: string; calm: string },
): void {
  ctx.fillStyle = 'rgba(167, 173, 187, 0.9)';
  ctx.font = `11px ${fontFamily}`;
  if (compact) return;
  // Below the axis: the pleasure and misery mood names sit on it at the rim.
  ctx.textAlign = 'right';
  ctx.fillText(names.pleasant, widthPx - 6, origin.y + 14);
  ctx.textAlign = 'left';
  ctx.fillText(names.unpleasant, 6, origin.y + 14);
  ctx.textAlign = 'center';
  ctx.fillText(names.excited, origin.x, 10);
  ctx.fillText(names.calm, origin.x, heightPx - 10);
}

/** Starts a path through `points` (not stroked). */
function tracePolyline({ ctx, at }: PlaneCanvas, points: readonly AffectPoint[]): void {
  ctx.beginPath();
  points.forEach((p, i) => {
    const s = at(p);
    if (i === 0) ctx.moveTo(s.x, s.y);
    else ctx.lineTo(s.x, s.y);
  });
}

/** A mood journey as a line. */
export function drawJourney(c: PlaneCanvas, path: readonly AffectPoint[]): void {
  tracePolyline(c, path);
  c.ctx.strokeStyle = 'rgba(255, 143, 168, 0.85)';
  c.ctx.lineWidth = 2;
  c.ctx.stroke();
}

/**
 * The dots as disc batches in `c`'s device pixels: those not in `highlighted` (when given)
 * faded and first (beneath), each mood in its colour. Dots off screen are left out.
 */
export function dotBatches(c: PlaneCanvas, points: readonly PlanePoint[], highlighted: ReadonlySet<string> | null, radiusPx: number): DiscBatch[] {
  const { origin, unitPx, widthPx, heightPx, pixelRatio } = c;
  const r = radiusPx;
  // Device-pixel x, y pairs per batch: faded batches first, then shown, each in mood order.
  const batches: number[][] = Array.from({ length: MOODS.length * 2 }, () => []);
  for (const p of points) {
    const x = origin.x + p.valence * unitPx;
    const y = origin.y - p.arousal * unitPx;
    if (x < -r || y < -r || x > widthPx + r || y > heightPx + r) continue;
    const shown = !highlighted || highlighted.has(p.id);
    batches[(shown ? MOODS.length : 0) + MOOD_INDEX[p.mood]].push(x * pixelRatio, y * pixelRatio);
  }
  return batches.map((centresXy, b) => ({ centresXy, rgb: MOOD_RGB[b % MOODS.length], alpha: b < MOODS.length ? 0.18 : 0.9 }));
}

/** Longest stretch of a sliced paint of the dots (a first one, a new emphasis) in one frame, ms. */
const PAINT_SLICE_MS = 8;

/**
 * The dots' layer, written as pixels ({@link DiscPainter}), not arcs: 10,000 arcs took 20–50 ms to
 * rasterise per draw (2 cores). Repainted only when what it shows changes. Its first paint is
 * spread over frames of ≤ 8 ms (in a 10,000-song library it was a 108-ms frame of code not yet
 * optimised), and so is a repaint the caller allows to lag (a new emphasis: a search, a
 * playlist); others finish in the frame, so a zoom or a pan never shows dots in the wrong place.
 */
export class DotsLayer {
  #canvas: HTMLCanvasElement | null = null;
  #key: readonly unknown[] | null = null;
  #pending: { key: readonly unknown[]; image: ImageData; painter: DiscPainter } | null = null;
  /** Frames the first paint has had: the first is left to the plane's base layer, the second makes the batches. */
  #firstPaintFrames = 0;

  /**
   * Copies the dots onto `c` (nothing until a first paint is done), first painting them from
   * `batches()` when an entry of `key` differs (by identity) from the shown one's. A first paint,
   * and a repaint for which `mayLag(shownKey, key)` holds, is spread over frames while the shown
   * dots stay (a new emphasis may come a few frames late; a zoom may not). True while a paint is
   * under way: draw again next frame.
   */
  drawOnto(
    c: PlaneCanvas,
    key: readonly unknown[],
    batches: () => { batches: DiscBatch[]; radiusPx: number },
    mayLag: (shownKey: readonly unknown[], key: readonly unknown[]) => boolean = () => false,
  ): boolean {
    const widthPx = Math.round(c.widthPx * c.pixelRatio);
    const heightPx = Math.round(c.heightPx * c.pixelRatio);
    this.#canvas ??= document.createElement('canvas');
    const layer = this.#canvas;
    const ctx = layer.getContext('2d');
    if (!ctx) {
      console.error('Norae: no 2D canvas for the plane’s dots; they are not drawn');
      return false;
    }
    if (!this.#key || !sameKey(key, this.#key) || layer.width !== widthPx || layer.height !== heightPx) {
      const first = this.#key === null;
      // A first paint shares no frame with the base's first paint (together a 60–70-ms frame of
      // cold code with 10,000 dots), nor the batches with a slice of painting.
      if (first && ++this.#firstPaintFrames === 1) return true;
      if (!this.#pending || !sameKey(key, this.#pending.key) || this.#pending.image.width !== widthPx || this.#pending.image.height !== heightPx) {
        const image = ctx.createImageData(widthPx, heightPx);
        const { batches: discs, radiusPx } = batches();
        this.#pending = { key, image, painter: new DiscPainter({ data: image.data, widthPx, heightPx }, discs, radiusPx) };
        if (first) return true;
      }
      const started = performance.now();
      const sliced = first || (layer.width === widthPx && layer.height === heightPx && mayLag(this.#key as readonly unknown[], key));
      if (this.#pending.painter.paint(sliced ? () => performance.now() - started > PAINT_SLICE_MS : () => false)) {
        if (layer.width !== widthPx || layer.height !== heightPx) {
          layer.width = widthPx;
          layer.height = heightPx;
        }
        ctx.putImageData(this.#pending.image, 0, 0);
        this.#key = this.#pending.key;
        this.#pending = null;
      }
    }
    if (this.#key) c.ctx.drawImage(layer, 0, 0, c.widthPx, c.heightPx);
    return this.#pending !== null;
  }
}

const sameKey = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

const MOOD_RGB = MOODS.map((m) => hexToRgb(MOOD_COLOURS[m]));
const MOOD_INDEX = Object.fromEntries(MOODS.map((m, i) => [m, i])) as Record<MoodId, number>;

/** A ring around a point (playing, selected, hovered); nothing without a point. */
export function drawRing({ ctx, at }: PlaneCanvas, p: AffectPoint | null | undefined, radiusPx: number, colour: string, lineWidthPx: number): void {
  if (!p) return;
  const s = at(p);
  ctx.beginPath();
  ctx.arc(s.x, s.y, radiusPx, 0, Math.PI * 2);
  ctx.strokeStyle = colour;
  ctx.lineWidth = lineWidthPx;
  ctx.stroke();
}

/** Labelled markers: blue for a target, pink for where the listener is. */
export function drawMarkers({ ctx, at, fontFamily }: PlaneCanvas, markers: readonly PlaneMarker[]): void {
  for (const m of markers) {
    const s = at(m);
    ctx.beginPath();
    ctx.arc(s.x, s.y, 9, 0, Math.PI * 2);
    ctx.fillStyle = m.kind === 'target' ? 'rgba(138, 180, 255, 0.25)' : 'rgba(255, 143, 168, 0.3)';
    ctx.fill();
    ctx.strokeStyle = m.kind === 'target' ? '#8ab4ff' : '#ff8fa8';
    ctx.lineWidth = 2.5;
    ctx.stroke();
    ctx.fillStyle = '#eef0f5';
    ctx.font = `600 12px ${fontFamily}`;
    ctx.textAlign = 'left';
    ctx.fillText(m.label, s.x + 13, s.y);
  }
}

/** A lasso, dashed: open while it is being drawn, closed once it is a region. */
export function drawLasso(c: PlaneCanvas, polygon: readonly AffectPoint[], closed: boolean): void {
  const { ctx } = c;
  tracePolyline(c, polygon);
  if (closed) ctx.closePath();
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = '#8ab4ff';
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = 'rgba(138, 180, 255, 0.08)';
  ctx.fill();
}

/**
 * The plane's base (wheel, names, journey) kept on a canvas of its own and repainted only when
 * what it shows changes, so a hover, a ring or a marker costs one copy, and a font arriving
 * repaints the names but not the dots (those have their {@link DotsLayer}).
 */
export class PlaneLayer {
  #canvas: HTMLCanvasElement | null = null;
  #key: readonly unknown[] = [];

  /**
   * Copies the layer onto `c`, first repainting it with `paintBase` (onto a cleared canvas of
   * `c`'s size) when any entry of `key` differs (by identity) from the last call's: list there
   * everything `paintBase` reads.
   */
  drawOnto(c: PlaneCanvas, devicePixelRatio: number, key: readonly unknown[], paintBase: (layer: PlaneCanvas) => void): void {
    const widthPx = Math.round(c.widthPx * devicePixelRatio);
    const heightPx = Math.round(c.heightPx * devicePixelRatio);
    this.#canvas ??= document.createElement('canvas');
    const layer = this.#canvas;
    const ctx = layer.getContext('2d');
    if (!ctx) {
      paintBase(c);
      return;
    }
    const stale = layer.width !== widthPx || layer.height !== heightPx || key.length !== this.#key.length || key.some((k, i) => k !== this.#key[i]);
    if (stale) {
      if (layer.width !== widthPx || layer.height !== heightPx) {
        layer.width = widthPx;
        layer.height = heightPx;
      }
      ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
      ctx.clearRect(0, 0, c.widthPx, c.heightPx);
      paintBase({ ...c, ctx });
      this.#key = key;
    }
    c.ctx.drawImage(layer, 0, 0, c.widthPx, c.heightPx);
  }
}
