// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { Markdown } from './markdown.tsx';

afterEach(cleanup);

describe('note markdown', () => {
  it('renders headings, emphasis, code, lists and links as elements', () => {
    const { container } = render(
      <Markdown
        text={
          '# Plan\nRun **phase 1** then *phase 2*,\nsee [the guide](https://example.org).\n\n- `a`\n- b\n\n1. one\n2. two\n\n```\nSELECT 1;\n```'
        }
      />,
    );
    expect(container.innerHTML).toBe(
      '<h3>Plan</h3><p>Run <strong>phase 1</strong> then <em>phase 2</em>, see <span class="md-link" title="https://example.org">the guide</span>.</p>' +
        '<ul><li><code>a</code></li><li>b</li></ul><ol><li>one</li><li>two</li></ol><pre><code>SELECT 1;</code></pre>',
    );
  });

  it('shows markup as the characters typed, never as HTML', () => {
    const { container } = render(
      <Markdown text={'<img src=x onerror="alert(1)"> **<b>x</b>** [t](javascript:void)'} />,
    );
    expect(container.querySelector('img, b, a, script')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror="alert(1)"> <b>x</b> t');
  });
});
