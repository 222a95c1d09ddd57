import { describe, expect, it } from 'vitest';
import { CARD_FOOTPRINT, GAP, freeOffset, type Box } from './free-spot.ts';

const card = (x: number, y: number): Box => ({ x, y, ...CARD_FOOTPRINT });
const overlapping = (a: Box, b: Box) =>
  a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
const at = (b: Box, p: { x: number; y: number }) => ({ ...b, x: b.x + p.x, y: b.y + p.y });

describe('freeOffset', () => {
  it('keeps the wanted place when it is free', () => {
    expect(freeOffset([card(0, 0)], [card(600, 0)], { x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('moves a card off the one it would cover, to the nearest free place', () => {
    const fixed = [card(0, 0)];
    const spot = freeOffset([card(0, 0)], fixed, { x: 0, y: 0 });
    expect(overlapping(at(card(0, 0), spot), fixed[0]!)).toBe(false);
    // The nearest clear place is straight below (130 + 20 = 150 px), nearer than beside (260 px).
    expect(spot).toEqual({ x: 0, y: 160 });
  });

  it('finds a place between many cards, and places the second of two added in the same place apart from the first', () => {
    const fixed = [card(0, 0), card(0, 160), card(0, -160), card(280, 0)];
    const first = freeOffset([card(0, 0)], fixed, { x: 0, y: 0 });
    for (const f of fixed) expect(overlapping(at(card(0, 0), first), f)).toBe(false);
    const second = freeOffset([card(0, 0)], [...fixed, at(card(0, 0), first)], { x: 0, y: 0 });
    expect(second).not.toEqual(first);
    for (const f of [...fixed, at(card(0, 0), first)]) expect(overlapping(at(card(0, 0), second), f)).toBe(false);
  });

  it('moves a pasted group as a whole, keeping its shape', () => {
    const group = [card(0, 0), card(300, 0)];
    const fixed = [card(40, 40), card(340, 40)];
    const offset = freeOffset(group, fixed, { x: 40, y: 40 });
    for (const g of group) for (const f of fixed) expect(overlapping(at(g, offset), f)).toBe(false);
  });
});
