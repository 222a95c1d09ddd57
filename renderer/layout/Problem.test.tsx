// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useApp } from '../store/index.ts';
import { errorMessage } from '../api/index.ts';
import { Problem } from './Problem.tsx';

afterEach(cleanup);

describe('the one error pattern', () => {
  it('names the node by its id (a button selecting it), the field by its form label with the key in small print', () => {
    useApp.getState().addNode('SchemaModificationNode', { x: 0, y: 0 });
    const id = useApp.getState().doc.nodes[0]!.id;
    useApp.getState().select({ nodes: [], edges: [] });
    render(<Problem node={id} field="column_name" message='param "column_name": is required' code="DF101" />);
    const button = screen.getByRole('button', { name: id });
    expect(document.querySelector('.problem-field')?.textContent).toBe('Column');
    expect(document.querySelector('.problem-key')?.textContent).toBe('column_name');
    expect(document.querySelector('.problem')?.textContent).toBe(`${id} Columncolumn_name — is required DF101`);
    fireEvent.click(button);
    expect(useApp.getState().selection.nodes).toEqual([id]);
  });

  it('reads a request field the host names as the editor calls it, never the request key', () => {
    expect(errorMessage({ code: 'failed', field: 'path', message: 'field "path": the folder is refused' })).toBe(
      'File: the folder is refused',
    );
    expect(errorMessage({ code: 'failed', field: 'connection.id', message: 'field "connection.id": gone' })).toBe(
      'gone',
    );
  });
});
