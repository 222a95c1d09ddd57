import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './closest-names.ts';

const DEMO = ['contacts', 'orders', 'products', 'test_users', 'users'];

describe('the closest existing names', () => {
  it('counts edits, a swap of two neighbours as one', () => {
    expect(editDistance('userz', 'users')).toBe(1);
    expect(editDistance('emial', 'email')).toBe(1);
    expect(editDistance('orders', 'orders')).toBe(0);
  });

  it('suggests users for userz, and the same name in another case first', () => {
    expect(closestNames('userz', DEMO)).toEqual(['users']);
    expect(closestNames('user', DEMO)).toEqual(['users', 'test_users']);
    expect(closestNames('Users', DEMO)[0]).toBe('users');
    expect(closestNames('order', DEMO)).toEqual(['orders']);
  });

  it('suggests nothing for a name far from every one', () => {
    expect(closestNames('invoices', DEMO)).toEqual([]);
  });
});
