/**
 * The node type icons named by the catalogue (`icon`): small white stroke drawings used as a CSS
 * background image, so that a thousand cards add no SVG elements to paint and layerize.
 */
import { memo, type CSSProperties } from 'react';

const PATHS: Record<string, string> = {
  'table-edit': 'M3 4h14v12H3zM3 8h14M8 8v8M13 11l4 4M17 11l-4 4',
  history: 'M4 10a6 6 0 1 0 2-4.5M4 3v3h3M10 7v3l2 2',
  split: 'M4 10h5M9 10l4-5h3M9 10l4 5h3',
  shield: 'M10 3l6 2v5c0 4-3 6-6 7-3-1-6-3-6-7V5z',
  check: 'M4 10l4 4 8-8',
  copy: 'M7 7h9v9H7zM4 13V4h9',
  fill: 'M4 16h12M6 13l4-9 4 9M7.5 10h5',
  gauge: 'M4 14a6 6 0 1 1 12 0M10 14l3-4',
  python: 'M7 4h5a2 2 0 0 1 2 2v3H8a2 2 0 0 0-2 2v3H5a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2h5M13 16H8a2 2 0 0 1-2-2',
  code: 'M7 6l-4 4 4 4M13 6l4 4-4 4',
};

const styles = new Map<string, CSSProperties>();

function iconStyle(name: string, size: number): CSSProperties {
  const key = `${name}:${size}`;
  let style = styles.get(key);
  if (!style) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="${PATHS[name] ?? 'M4 4h12v12H4z'}"/></svg>`;
    style = {
      backgroundImage: `url("data:image/svg+xml,${encodeURIComponent(svg)}")`,
      backgroundSize: `${size}px ${size}px`,
    };
    styles.set(key, style);
  }
  return style;
}

/** The icon on its category's colour (`cat-<Category>` on the same element). */
export const NodeIcon = memo(function NodeIcon({
  name,
  category,
  size = 16,
}: {
  name: string;
  category: string;
  size?: number;
}) {
  return <span className={`node-icon cat-${category}`} style={iconStyle(name, size)} aria-hidden="true" />;
});
