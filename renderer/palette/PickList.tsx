/**
 * A field and the list it filters (fuzzy, best first): the command palette and the node search.
 * Type to filter; Up / Down (Home / End) move, Enter picks, Escape closes. ARIA combobox + listbox;
 * the focus stays in the field.
 */
import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { fuzzyFilter } from './fuzzy.ts';
import './palette.css';

export interface PickItem {
  id: string;
  /** What the filter matches and the line shows. */
  text: string;
  /** Smaller text after it (a group, a description). */
  detail?: string;
  /** Shortcut keys, shown on the right. */
  keys?: string;
  /** Why it cannot be picked now; shown, and Enter does nothing. */
  unavailable?: string | null;
}

function Highlighted({ text, positions }: { text: string; positions: readonly number[] }): ReactNode {
  const marked = new Set(positions);
  return [...text].map((ch, i) => (marked.has(i) ? <mark key={i}>{ch}</mark> : ch));
}

export function PickList({
  items,
  label,
  placeholder,
  testId,
  onPick,
  onClose,
}: {
  items: readonly PickItem[];
  label: string;
  placeholder: string;
  testId: string;
  onPick: (id: string) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const hits = useMemo(() => fuzzyFilter(items, query, (i) => i.text), [items, query]);
  const current = Math.min(active, hits.length - 1);
  const pick = (i: number) => {
    const item = hits[i]?.item;
    if (item && !item.unavailable) onPick(item.id);
  };
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      Home: 0,
      End: hits.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      setActive(Math.max(0, Math.min(hits.length - 1, moves[e.key]!)));
      document.getElementById(`${testId}-opt-${Math.max(0, moves[e.key]!)}`)?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(current);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };
  return (
    <div className="pick-list" data-testid={testId}>
      <input
        autoFocus
        role="combobox"
        aria-label={label}
        aria-expanded="true"
        aria-controls={`${testId}-list`}
        aria-activedescendant={hits.length > 0 ? `${testId}-opt-${current}` : undefined}
        aria-autocomplete="list"
        placeholder={placeholder}
        value={query}
        data-testid={`${testId}-input`}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
      />
      <ul role="listbox" id={`${testId}-list`} aria-label={label}>
        {hits.map(({ item, match }, i) => (
          <li
            key={item.id}
            id={`${testId}-opt-${i}`}
            role="option"
            aria-selected={i === current}
            aria-disabled={item.unavailable ? true : undefined}
            className={i === current ? 'active' : undefined}
            data-testid={`${testId}-item-${item.id}`}
            title={item.unavailable ?? undefined}
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => setActive(i)}
            onClick={() => pick(i)}
          >
            <span className="pick-text">
              <Highlighted text={item.text} positions={match.positions} />
            </span>
            {item.detail && <span className="pick-detail">{item.detail}</span>}
            {item.unavailable && <span className="pick-reason">{item.unavailable}</span>}
            {item.keys && <kbd>{item.keys}</kbd>}
          </li>
        ))}
        {hits.length === 0 && (
          <li className="pick-none" role="presentation">
            Nothing matches “{query}”.
          </li>
        )}
      </ul>
    </div>
  );
}
