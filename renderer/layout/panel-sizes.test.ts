import { describe, expect, it } from 'vitest';
import { CANVAS_MIN, DEFAULT_SIZES, SIZE_BOUNDS, clampSize, keyedSize, maxSize } from './panel-sizes.ts';

const room = { width: 1440, height: 820, otherSide: 380 };

describe('panel sizes', () => {
  it('keeps a panel between its minimum and what leaves the canvas its minimum', () => {
    expect(clampSize('left', 40, room)).toBe(SIZE_BOUNDS.left.min);
    expect(clampSize('left', 300.4, room)).toBe(300);
    expect(clampSize('right', 5000, room)).toBe(1440 - 380 - CANVAS_MIN.width);
    expect(clampSize('bottom', 5000, room)).toBe(820 - CANVAS_MIN.height);
    expect(clampSize('left', 2000, { ...room, otherSide: 380 })).toBe(SIZE_BOUNDS.left.max);
  });

  it('gives the panel its minimum in a window too small for both', () => {
    expect(maxSize('right', { width: 500, height: 300, otherSide: 250 })).toBe(SIZE_BOUNDS.right.min);
    expect(clampSize('bottom', 400, { width: 500, height: 250, otherSide: 0 })).toBe(SIZE_BOUNDS.bottom.min);
  });

  it('falls back to the default for a size that is not a number', () => {
    expect(clampSize('bottom', Number.NaN, room)).toBe(DEFAULT_SIZES.bottom);
  });

  it('moves the splitter with the arrow keys, towards the canvas growing the panel', () => {
    expect(keyedSize('left', 250, 'ArrowRight', false, room)).toBe(266);
    expect(keyedSize('left', 250, 'ArrowLeft', true, room)).toBe(186);
    expect(keyedSize('right', 380, 'ArrowLeft', false, room)).toBe(396);
    expect(keyedSize('bottom', 290, 'ArrowUp', false, room)).toBe(306);
    expect(keyedSize('bottom', 290, 'ArrowDown', false, room)).toBe(274);
    expect(keyedSize('bottom', 290, 'Home', false, room)).toBe(SIZE_BOUNDS.bottom.min);
    expect(keyedSize('bottom', 290, 'End', false, room)).toBe(820 - CANVAS_MIN.height);
    expect(keyedSize('bottom', 290, 'ArrowLeft', false, room)).toBeNull();
  });
});
