import { describe, expect, it } from 'vitest';
import { DocumentState, SAVE_THEN_CLOSE_MS } from './document-state.ts';

describe('the document state of the window', () => {
  it('shows the file name and a dirty marker in the title', () => {
    const doc = new DocumentState();
    expect(doc.windowTitle()).toBe('Untitled — DataFlow Studio');
    doc.update({ title: 'orders.dataflow.json', dirty: true });
    expect(doc.windowTitle()).toBe('● orders.dataflow.json — DataFlow Studio');
    doc.update({ title: '  ', dirty: false });
    expect(doc.windowTitle()).toBe('Untitled — DataFlow Studio');
  });

  it('closes after the prompt asked to save, once the document is clean', () => {
    const doc = new DocumentState();
    doc.update({ title: 'a', dirty: true });
    expect(doc.update({ title: 'a', dirty: false })).toBe(false);
    doc.update({ title: 'a', dirty: true });
    doc.saveThenClose(1000);
    expect(doc.update({ title: 'a', dirty: true }, 1100)).toBe(false);
    expect(doc.update({ title: 'a', dirty: false }, 1200)).toBe(true);
    expect(doc.update({ title: 'a', dirty: false }, 1300)).toBe(false);
  });

  it('does not close later when the save was cancelled or came too late', () => {
    const doc = new DocumentState();
    doc.saveThenClose(0);
    doc.saveCancelled();
    expect(doc.update({ title: 'a', dirty: false }, 10)).toBe(false);
    doc.saveThenClose(0);
    expect(doc.update({ title: 'a', dirty: false }, SAVE_THEN_CLOSE_MS + 1)).toBe(false);
  });
});
